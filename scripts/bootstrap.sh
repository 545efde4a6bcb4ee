#!/usr/bin/env bash
# Set up a fresh machine for dangan: Debian packages (when missing), the local venv, the Git hooks,
# and the editor's YAML checker for the tests (yaml-language-server, pinned in scripts/editor/).
# Idempotent; safe to run again. DANGAN_SKIP_APT=1 skips the Debian packages. Prints only what matters.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK\|Noto Serif CJK" || need+=(fonts-noto-cjk)
command -v git >/dev/null 2>&1 || need+=(git)
command -v npm >/dev/null 2>&1 || need+=(npm)
# what the tests drive for real: sshd for the central repository over SSH, gitolite, LibreOffice opening our .xlsx
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
command -v gitolite >/dev/null 2>&1 || need+=(gitolite3)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
if [ ${#need[@]} -gt 0 ] && [ "${DANGAN_SKIP_APT:-0}" != 1 ]; then
  echo "安装系统软件包：${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  apt_log=$(mktemp)
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
         $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"; } >"$apt_log" 2>&1; then
    grep -E "^(E|W):" "$apt_log" >&2 || cat "$apt_log" >&2
    rm -f "$apt_log"
    echo "错误：安装系统软件包失败（见上面 apt 的提示；常见原因是另一个程序正在安装软件、没有 sudo 权限或不能上网）。" >&2
    echo "      稍后重试；或者这些软件包已另行装好、本机不需要时，跳过这一步：DANGAN_SKIP_APT=1 make" >&2
    exit 1
  fi
  rm -f "$apt_log"
fi

PY=${PYTHON:-python3}
command -v "$PY" >/dev/null 2>&1 || PY=python   # Windows (Git Bash): python.exe
VBIN=.venv/bin; [ -d .venv/Scripts ] && VBIN=.venv/Scripts   # a Windows venv keeps its programs in Scripts/
if [ ! -x "$VBIN/python" ] && [ ! -x "$VBIN/python.exe" ]; then
  "$PY" -m venv .venv
  VBIN=.venv/bin; [ -d .venv/Scripts ] && VBIN=.venv/Scripts
fi
"$VBIN/python" -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
"$VBIN/python" -m pip install -q -e ".[test,bench]" 2>&1 | grep -v "^WARNING: Location" || true
"$VBIN/python" -c "import dangan, yaml; assert yaml.__with_libyaml__, 'PyYAML 缺少 libyaml'" 

if git rev-parse --git-dir >/dev/null 2>&1; then
  "$VBIN/pre-commit" install >/dev/null
  git config diff.dangan.textconv "scripts/run-dangan textconv"   # git diff 逐字段显示档案（.gitattributes）
  git config core.quotepath false   # git status/log 直接显示中文文件名（否则是 "\350\275\254…"）
fi

# yaml-language-server (what VS Code's YAML extension runs), pinned by scripts/editor/package-lock.json, into
# .venv/editor; the tests drive it over LSP and compare its diagnostics with dangan check. Offline after this.
if [ ! -d .venv/editor/node_modules/yaml-language-server ] || \
   ! cmp -s scripts/editor/package-lock.json .venv/editor/package-lock.json; then
  mkdir -p .venv/editor
  cp scripts/editor/package.json scripts/editor/package-lock.json .venv/editor/
  if ! command -v npm >/dev/null 2>&1 || \
     ! (cd .venv/editor && npm ci --no-audit --no-fund --loglevel=error >npm.log 2>&1); then
    rm -f .venv/editor/package-lock.json   # try again next time
    echo "提示：未能安装编辑器检查程序 yaml-language-server（需要 npm 和网络；见 .venv/editor/npm.log）；" \
         "不影响 dangan 的使用，只有编辑器一致性测试会跳过" >&2
  fi
fi
touch .venv/.installed
echo "环境已就绪：$VBIN/dangan（激活：source $VBIN/activate，之后直接写 dangan；见 README“激活环境”）"
