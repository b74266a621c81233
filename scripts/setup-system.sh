#!/usr/bin/env bash
# Installs the Debian packages the project needs outside npm: ffmpeg decodes
# videos for `scan` and `train`, chromium and firefox-esr run the end-to-end tests, and
# python3-skimage provides the public-domain face image used to make test videos.
set -euo pipefail

packages=(ffmpeg chromium firefox-esr python3-skimage fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all Debian packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system: missing Debian packages: ${missing[*]}; run this script as root or install them with apt-get" >&2
  exit 1
fi

echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
