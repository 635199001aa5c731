// rising_topics: which topics grow fastest? Works per topic in $year against the year
// before, ranked by growth; topics need at least $minWorks works in $year to be ranked.
//
// growth = works in $year / works in the year before (null when the year before had none,
// shown first: a topic that is new that year).
//
// Parameters:
//   $year      the year to look at, e.g. 2025
//   $minWorks  ignore topics with fewer works in $year, e.g. 2
//   $first     how many, e.g. 10
//
// In Neo4j Browser:
//   :param year => 2025
//   :param minWorks => 2
//   :param first => 10
MATCH (t:Topic)<-[:HAS_TOPIC]-(p:Paper)
WHERE p.year IN [$year - 1, $year]
WITH t,
     count(CASE WHEN p.year = $year THEN 1 END) AS works,
     count(CASE WHEN p.year = $year - 1 THEN 1 END) AS worksYearBefore
WHERE works >= $minWorks
RETURN
  t.code AS topic,
  t.name AS name,
  works,
  worksYearBefore,
  CASE WHEN worksYearBefore = 0 THEN null
       ELSE round(toFloat(works) / worksYearBefore, 2) END AS growth
ORDER BY growth IS NOT NULL, growth DESC, works DESC, topic
LIMIT $first
