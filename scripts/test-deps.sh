#!/usr/bin/env bash
# Makes sure the Debian packages that PeerCircle's tests rely on are installed.
#
# The tests start a throwaway PostgreSQL, drive a headless Chromium, read exported
# PDFs with pdftotext and need Arabic glyphs for screenshots. A fresh machine (or
# CI on a new image) has none of these, so this script installs what is missing
# when it can, and otherwise says exactly what to run. It checks files rather than
# asking apt, so it costs nothing when everything is already there.
set -euo pipefail

# Each line: Debian package, then the files or commands whose presence proves it.
# A leading "cmd:" means "a command on PATH", anything else is a file path.
deps=(
	"chromium /usr/bin/chromium"
	"postgresql /usr/lib/postgresql/15/bin/initdb /usr/lib/postgresql/15/bin/pg_ctl"
	"poppler-utils cmd:pdftotext"
	"fonts-noto-core /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"
	"npm cmd:npm"
)

# present PROOF... succeeds when every proof of one package is there.
present() {
	local proof
	for proof in "$@"; do
		case "$proof" in
		cmd:*) command -v "${proof#cmd:}" >/dev/null 2>&1 || return 1 ;;
		*) [[ -e "$proof" ]] || return 1 ;;
		esac
	done
}

missing=()
for line in "${deps[@]}"; do
	read -r -a fields <<<"$line"
	pkg=${fields[0]}
	if present "${fields[@]:1}"; then
		echo "found      $pkg"
	else
		missing+=("$pkg")
	fi
done

# npm packages of the browser tests (axe-core for accessibility checks),
# pinned by package-lock.json. Needs npm, so it runs after the Debian
# packages are in place.
npm_deps() {
	local root
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	if [[ -f "$root/node_modules/axe-core/axe.min.js" ]]; then
		echo "found      axe-core (npm)"
		return 0
	fi
	if ! command -v npm >/dev/null 2>&1; then
		echo "missing    axe-core (npm): install npm first" >&2
		return 1
	fi
	(cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
	echo "installed  axe-core (npm)"
}

if ((${#missing[@]} == 0)); then
	npm_deps
	exit
fi

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
	for pkg in "${missing[@]}"; do
		echo "missing    $pkg" >&2
	done
	echo "install with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

# Only reached when something is missing: apt-get update is slow and needs the
# network, so it must not run on every test invocation.
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# Check again from the files, not from apt's exit status, so a package that
# installed but no longer ships the expected path is reported instead of hidden.
failed=()
for line in "${deps[@]}"; do
	read -r -a fields <<<"$line"
	pkg=${fields[0]}
	case " ${missing[*]} " in *" $pkg "*) ;; *) continue ;; esac
	if present "${fields[@]:1}"; then
		echo "installed  $pkg"
	else
		failed+=("$pkg")
		echo "FAILED     $pkg: installed but ${fields[*]:1} still missing" >&2
	fi
done
((${#failed[@]} == 0)) || exit 1
npm_deps
