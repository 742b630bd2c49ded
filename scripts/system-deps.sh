#!/usr/bin/env bash
# Install the Debian packages iotkg needs beyond Python, when they are missing (called by `make run`/`make test`).
#   run:  graphviz, fonts-dejavu-core   the site's diagrams (`dot` lays them out in DejaVu Sans)
#   test: the above, and chromium, chromium-driver (the site's browser test, headless, network off)
#         default-jre-headless (Java: the W3C Nu HTML Checker and the HermiT reasoner)
#         and virtuoso-opensource (the push test against Virtuoso; its server, started by the test)
set -euo pipefail
need_run=(graphviz fonts-dejavu-core)
need_test=("${need_run[@]}" chromium chromium-driver default-jre-headless virtuoso-opensource)
case "${1:-test}" in
  run) wanted=("${need_run[@]}") ;;
  test) wanted=("${need_test[@]}") ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "iotkg: please install ${missing[*]} with your system's package manager (no apt-get here)" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "iotkg: not root and no sudo: install ${missing[*]} yourself (the site's diagrams and browser test need them)" >&2
    exit 0
  fi
fi
started=$SECONDS
echo "installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Debian packages ready in $((SECONDS - started)) s"
