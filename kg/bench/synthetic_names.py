"""Synthetic author names: a name is a pure function of its index in an implicit pool.

So the generator keeps no table of authors whatever the corpus size, and the same index is
the same person in every block and every process.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def split_words(text: str) -> list[str]:
    """Words of a word list, each once, in order."""
    return list(dict.fromkeys(text.split()))


FIRST_NAMES = split_words(
    """
Wei Jing Hao Yu Xin Yang Jun Lei Min Tao Yan Bo Fang Qiang Hui Jie Ling Peng Rui Shuang Ting
Xiao Yi Zhen Chao Dong Feng Gang Hong Jian Kai Lin Ming Ning Qing Song Tian Ying Zhi Yue
Aditya Priya Rahul Ananya Arjun Deepak Kavya Nikhil Pooja Rohan Sanjay Shreya Vikram Anil
Divya Karthik Meera Suresh Amit Neha Anna David Maria Thomas Laura Michael Sarah Daniel
Julia Martin Elena Peter Sophie Andrea Marco Paolo Giulia Luca Francesca Matteo Pierre
Camille Antoine Claire Nicolas Hans Katrin Stefan Jan Eva Tomasz Ivan Olga Dmitry Sergey
Natalia Alexei Yuri Irina John James Robert Emily Jessica Christopher Matthew Andrew Rachel
Benjamin Samuel Hannah Kevin Brian Emma Olivia Noah Liam Ethan Grace Alice Carlos Ana Juan
Luis Miguel Pablo Sofia Diego Lucas Gabriel Rafael Fernanda Ahmed Mohammed Fatima Omar Ali
Hassan Leila Yusuf Mehmet Emre Kenji Yuki Hiroshi Takashi Akira Sakura Haruto Minji Jisoo
Hyun Seung Jae Sung Thanh Minh Linh Kwame Amara Chidi Ngozi Tariq Reza Maryam Dario Nils
Ingrid Lars Astrid Henrik Mikko Aino Pieter Sanne Bram Joost Tobias Lena Felix Jonas Clara
Simon Helen George Victoria Patrick Joseph Mark Paul Steven Susan Karen Lisa Nancy Chen
Jean-Pierre Marie-Claire Sung-Min Ji-Woo José François Jürgen Zoë Łukasz Søren Inês Björn
Renée Andrés Álvaro Hélène Miloš Jiří Ákos Çağlar Thérèse Göran Dušan Ayşe Mónica Sebastián
"""
)
"""Given names; a few accented, none that would share a key with another (José, no Jose)."""

LAST_NAMES = [
    *split_words(
        """
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng
Liang Xie Tang Han Cao Deng Feng Zeng Peng Xiao Cai Pan Tian Dong Yuan Jiang Ye Du Su Wei Lu
Shen Yao Cui Qian Fan Jin Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Tanaka Suzuki Sato
Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Nguyen Tran Pham
Kumar Singh Sharma Gupta Patel Reddy Rao Iyer Nair Das Bose Chatterjee Mukherjee Banerjee
Ghosh Jain Mehta Agarwal Verma Mishra Krishnan Menon Pillai Joshi Müller Schmidt Schneider
Fischer Weber Meyer Wagner Becker Hoffmann Schäfer Koch Richter Klein Wolf Neumann Schwarz
Zimmermann Krüger Hartmann Lange Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci
Marino Greco Bruno Gallo Conti Costa Giordano Mancini Lombardi Moretti García Martínez López
Sánchez Pérez Gómez Fernández Rodríguez González Díaz Álvarez Moreno Muñoz Romero Navarro
Torres Domínguez Vázquez Ramos Gil Serrano Núñez Silva Santos Oliveira Souza Pereira Ferreira
Almeida Carvalho Gonçalves Ribeiro Bernard Dubois Durand Lefèvre Moreau Laurent Michel
Leroy Roux Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Chevalier Nowak
Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Novák
Svoboda Dvořák Černý Horváth Nagy Kovács Tóth Szabó Ivanov Petrov Smirnov Kuznetsov Popov
Sokolov Lebedev Kozlov Novikov Morozov Volkov Pavlov Orlov Andersson Johansson Karlsson
Nilsson Eriksson Larsson Olsson Persson Jensen Nielsen Hansen Pedersen Andersen Christensen
Larsen Sørensen Berg Haugen Virtanen Korhonen Mäkinen Nieminen Jansen Bakker Visser Smit
Meijer Mulder Peeters Janssens Maes O'Brien Murphy Kelly Byrne Smith Johnson Williams Brown
Jones Miller Davis Wilson Anderson Taylor Moore Jackson White Harris Thompson Clark Lewis
Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell
Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart Morris Murray Cohen Levy
Friedman Katz Shapiro Goldberg Yilmaz Kaya Demir Şahin Çelik Öztürk Aydin Ahmed Khan Hussain
Rahman Haddad Nasser Mansour Karimi Hosseini Ahmadi Rezaei Mohammadi Papadopoulos Georgiou
Dimitriou Nikolaidis Okafor Adeyemi Mensah Okonkwo
"""
    ),
    "De Luca",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "de Boer",
]
"""Family names; a few accented and a few in two words (`van den Berg`)."""

_LETTERS = "ABCDEFGHIJKLMNOPRSTVWY"
_MIDDLES = ["", *(f"{a}." for a in _LETTERS), *(f"{a}. {b}." for a in _LETTERS for b in _LETTERS)]
_COMBOS = len(FIRST_NAMES) * len(LAST_NAMES)
_SCRAMBLE = 2654435761
"""A prime larger than `_COMBOS`, so `i * _SCRAMBLE % _COMBOS` permutes the (first, last) pairs."""

MAX_POOL = _COMBOS * len(_MIDDLES)
"""Distinct names available: every index below this has its own author key."""


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) and c.isalnum())
    return kept.lower().encode("ascii", "ignore").decode()


def author_name(index: int) -> tuple[str, str, str]:
    """(last, first, suffix) of pool author `index`: fixed per index, distinct per index.

    The first `len(FIRST_NAMES) * len(LAST_NAMES)` indices have no middle initial, later
    ones one or two, so low (prolific) indices look like "Wei Wang" and namesakes that
    differ only in an initial appear once the pool is large, as on arXiv.
    """
    middle, pair = divmod(index, _COMBOS)
    last, first = divmod(pair * _SCRAMBLE % _COMBOS, len(FIRST_NAMES))
    given = FIRST_NAMES[first]
    if middle:
        given = f"{given} {_MIDDLES[middle]}"
    suffix = "Jr." if ((index + 12345) * 0x9E3779B1 >> 11) % 64 == 0 else ""
    return LAST_NAMES[last], given, suffix


def written_name(parsed: Sequence[str]) -> str:
    """How the `authors` string writes an `authors_parsed` entry: "Ann C. Bee Jr."."""
    last, first, suffix = parsed[0], parsed[1], parsed[2]
    name = f"{first} {last}" if first else last
    return f"{name} {suffix}" if suffix else name
