# Sourced by the scripts: a project virtualenv with kg installed (editable), made on first use.
# pip's cache stays in ~/.cache/pip, outside the clone.
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv and installing kg (first run only)"
  python3 -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate
stamp=.venv/.kg-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  python -m pip install --quiet --upgrade pip
  python -m pip install --quiet -e '.[dev]'
  touch "$stamp"
fi
