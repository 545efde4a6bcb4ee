#!/usr/bin/env bash
# Set up a fresh machine for dangan: Debian packages (when missing), the local venv, the Git hooks.
# Idempotent; safe to run again. DANGAN_SKIP_APT=1 skips the Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK\|Noto Serif CJK" || need+=(fonts-noto-cjk)
command -v git >/dev/null 2>&1 || need+=(git)
if [ ${#need[@]} -gt 0 ] && [ "${DANGAN_SKIP_APT:-0}" != 1 ]; then
  echo "安装系统软件包：${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -m pip install -q -e ".[test,bench]" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import dangan, yaml; assert yaml.__with_libyaml__, 'PyYAML 缺少 libyaml'" 

if git rev-parse --git-dir >/dev/null 2>&1; then
  .venv/bin/pre-commit install >/dev/null
  git config diff.dangan.textconv "scripts/run-dangan textconv"   # git diff 逐字段显示档案（.gitattributes）
fi
touch .venv/.installed
echo "环境已就绪：.venv/bin/dangan"
