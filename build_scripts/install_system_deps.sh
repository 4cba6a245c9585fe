#!/usr/bin/env bash
# Installs the Debian packages Baozhi Reader's tests need, only when they are missing.
#   - Qt's offscreen platform: EGL/GL, xkbcommon, fontconfig, D-Bus and GLib runtime libraries
#   - the xcb libraries Qt's X11 platform links to, so a packaged build carries them
#   - a font that covers Chinese, so rendered windows and exported PDFs show real glyphs
#   - poppler-utils (pdftotext / pdftoppm) to check exported PDFs, epubcheck to validate EPUBs
#   - xvfb and xauth, so the print-preview test runs under a real X server too
# Idempotent: does nothing when every package is present. Skipped (with a note) when not on a
# Debian-like system, when not root and no password-less sudo exists, or when
# BAOZHI_NO_SYSTEM_DEPS=1 is set.
set -euo pipefail

PACKAGES=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
          fonts-noto-cjk poppler-utils epubcheck xvfb xauth
          libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-cursor0 libxcb-shape0
          libxcb-xinerama0 libxcb-randr0 libxcb-xfixes0 libxcb-xkb1)

if [[ "${BAOZHI_NO_SYSTEM_DEPS:-0}" == "1" ]]; then
  echo "system deps: skipped (BAOZHI_NO_SYSTEM_DEPS=1)" >&2; exit 0
fi
if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "system deps: not a Debian-like system; install Qt's runtime libraries and a CJK font yourself" >&2
  exit 0
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "system deps: missing ${missing[*]} but cannot install them (not root, no password-less sudo)" >&2
  exit 0
fi

echo "system deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >/dev/null
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system deps: done" >&2
