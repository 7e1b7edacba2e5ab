#!/usr/bin/env bash
# Install the Debian packages relu-explainer needs, only those missing. Fast (<1 s) when all are present.
#   scripts/system-deps.sh            cairo/pango headers (to build pycairo, manimpango), a minimal TeX set
#                                     and DejaVu (the PDF handout's Unicode font)
#   scripts/system-deps.sh --test     also what only the tests need: Chromium (the offline-slides test)
#                                     and espeak-ng (the second voice's test)
set -euo pipefail
packages=(pkg-config libcairo2-dev libpango1.0-dev
          texlive-latex-base texlive-latex-extra texlive-fonts-recommended texlive-science
          cm-super-minimal dvisvgm fonts-dejavu-core)
[[ ${1:-} == --test ]] && packages+=(chromium espeak-ng)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "relu-explainer: missing system packages: ${missing[*]}; this script knows only Debian's apt-get" >&2
  exit 1
fi
sudo=""
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null || { echo "relu-explainer: run as root, or install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "relu-explainer: installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
