#!/usr/bin/env bash
# Chromium (browser tests) and a CJK font (screenshots, PDFs) from Debian's packages.
# Installs them with apt-get when running as root; otherwise says what to run.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
ldconfig -p 2>/dev/null | grep -q libpangoft2 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
if ! fc-list 2>/dev/null | grep -qiE 'Noto (Sans|Serif) CJK|WenQuanYi|Source Han'; then
  missing+=(fonts-noto-cjk)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> 安装系统依赖 / installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi

cat >&2 <<MSG
缺少系统依赖：${missing[*]}
浏览器测试需要 Debian 的 Chromium，页面截图与 PDF 需要中文字体。请以 root 身份运行：
  sudo apt-get update && sudo apt-get install -y ${missing[*]}
Missing system packages: ${missing[*]}. Run the command above as root, then 'make test' again.
MSG
exit 1
