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
# The compiled bulk-load paths (native/, module kg_native): built wherever cargo is, rebuilt
# when their sources change; without them kg runs the same steps in Python, slower.
# Cargo's build output stays in ~/.cache/kg, outside the clone.
native_stamp=.venv/.kg-native-installed
if command -v cargo >/dev/null; then
  if [ ! -f "$native_stamp" ] || [ -n "$(find native -newer "$native_stamp" -not -path '*/target/*' -print -quit)" ]; then
    echo "== building kg_native (native/, Rust) for the bulk load"
    python -m pip install --quiet 'maturin>=1.7,<2'
    (cd native && CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kg/native-target}" \
      maturin develop --release --quiet) && touch "$native_stamp"
  fi
elif [ ! -f "$native_stamp" ]; then
  echo "== no cargo: kg_native not built, the bulk load runs in Python (see README, Dependencies)"
fi
