#!/usr/bin/env bash
# make screenshots: runs the real desktop app under Xvfb against a demo
# plant and writes a PNG of every main screen, in English and in French,
# to docs/screenshots/<lang>-<screen>.png.
#
# It seeds a fresh demo plant (boucle-server demo) in a temporary folder,
# serves it on 127.0.0.1, enrols one workstation per language (station
# PRESS2) and starts bin/boucle once per screen, signed in as the right
# person through the screenshot-mode variables documented in
# cmd/boucle/screenshot.go (BOUCLE_TEST_LOGIN, BOUCLE_TEST_SCREEN). They are
# test-only and do nothing unless set.
#
# Needs: xvfb-run, xdotool, ImageMagick's import (make deps installs them).
# SHOTS: space-separated screen names to take only some (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/docs/screenshots
server_bin=$root/bin/boucle-server
app_bin=$root/bin/boucle
addr=127.0.0.1:${BOUCLE_SHOTS_PORT:-8479}

for b in "$server_bin" "$app_bin"; do
	[[ -x $b ]] || { echo "screenshots: $b is missing; run 'make build' first" >&2; exit 1; }
done
for tool in xvfb-run xdotool import; do
	command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (make deps installs it)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/boucle-shots.XXXXXX")
server_pid=
cleanup() {
	if [[ -n $server_pid ]]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "screenshots: seeding a demo plant"
"$server_bin" demo --data "$tmp/server" >"$tmp/demo.txt"
"$server_bin" serve --data "$tmp/server" --addr "$addr" >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
	(exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}") 2>/dev/null && break
	sleep 0.1
done

enrol_code() {
	"$server_bin" device enrol --data "$tmp/server" | grep -o '[0-9A-Z]\{4\}-[0-9A-Z]\{4\}-[0-9A-Z]\{4\}' | head -1
}

# The screens: name, login (empty: none), what to open, an optional
# variable for the app (the clock-ahead one runs with the clock 2 days
# ahead), and the buttons to press there (optional, '>' between them: see
# cmd/boucle/press.go).
password=boucle-demo
screens=(
	"signin||"
	"operator-report|emma.roux|report"
	"operator-report-form|emma.roux|report-form"
	"operator-my-complaints|emma.roux|mine"
	"operator-choose-solution|emma.roux|complaint:solution_proposed"
	"operator-confirm-and-rate|emma.roux|complaint:resolved"
	"engineer-triage-inbox|julien.moreau|inbox"
	"engineer-acknowledge|julien.moreau|complaint:new:acknowledge"
	"engineer-analysis|julien.moreau|complaint:investigating:analyse"
	"engineer-assign-action|julien.moreau|complaint:actions_in_progress:assign"
	"complaint-timeline|julien.moreau|complaint:actions_in_progress:timeline"
	"engineer-internal-note|julien.moreau|complaint-note"
	"complaint-actions-tab|julien.moreau|complaint:actions_in_progress:actions"
	"engineer-my-actions|julien.moreau|actions"
	"manager-plant-actions|claire.martin|plant"
	"manager-dashboard|claire.martin|dashboard"
	"manager-plans|claire.martin|plans"
	"manager-plan-to-approve|claire.martin|plan:submitted"
	"settings|julien.moreau|settings"
	"operator-add-file-dialog|emma.roux|report-form||report.add_file"
	"manager-export-menu|claire.martin|dashboard||dashboard.export"
	"manager-export-dialog|claire.martin|dashboard||dashboard.export>dashboard.export.complaints_xlsx"
	"engineer-8d-dialog|julien.moreau|complaint:closed||detail.eightd"
	"operator-refused|emma.roux|refused"
	"sync-clock-ahead|julien.moreau|inbox|BOUCLE_TEST_CLOCK_AHEAD=48h"
	# The filing form: drafts, keyboard-first filing.
	"operator-form-errors|emma.roux|report||report.save"
	"operator-form-draft-restored|emma.roux|report-draft||report.draft_discard?"
	"operator-form-leave-dialog|emma.roux|report-draft||report.draft_discard?>menu:mine"
	"operator-form-known-problem|emma.roux|report-draft:known"
	# The complaint page: messages, withdrawal, actions, files and photos.
	"operator-complaint-messages|emma.roux|complaint-mine:acknowledged"
	"engineer-next-step|julien.moreau|complaint:investigating"
	"engineer-containment-only|julien.moreau|complaint:investigating:assign"
	"operator-withdraw|emma.roux|complaint-mine:acknowledged:withdraw"
	"engineer-reschedule-action|julien.moreau|complaint-action:reschedule-action"
	"engineer-cancel-action|julien.moreau|complaint-action:cancel-action"
	"operator-add-files|emma.roux|complaint-mine:acknowledged:attach"
	"operator-add-files-dialog|emma.roux|complaint-mine:acknowledged:attach||panel.choose_file"
	"complaint-photo|julien.moreau|complaint-photo:files"
	"complaint-photo-full|julien.moreau|complaint-photo:files||detail.open_photo"
	# Administration.
	"admin-stations|admin|admin"
	"admin-people|admin|admin||admin.tab.people"
	"admin-categories|admin|admin||admin.tab.categories"
	"admin-severities|admin|admin||admin.tab.severities"
	"admin-workstations|admin|admin||admin.tab.workstations"
	"admin-add-person|admin|admin||admin.tab.people>admin.person.add"
	"admin-add-person-errors|admin|admin||admin.tab.people>admin.person.add>admin.person.add_confirm"
	"admin-password-shown-once|admin|admin||admin.tab.people>admin.person.reset>admin.person.reset_confirm>admin.copy"
	"admin-disable-person|admin|admin||admin.tab.people>admin.person.disable"
	"admin-edit-person|admin|admin||admin.tab.people>admin.person.edit"
	"admin-retire-station|admin|admin||admin.station.retire"
	"admin-severity-deadlines|admin|admin||admin.tab.severities>admin.severity.edit"
	"admin-enrolment-code|admin|admin||admin.tab.workstations>admin.device.enrol>admin.device.enrol_confirm>admin.copy"
	"admin-replacement-code|admin|admin||admin.tab.workstations>admin.device.replace"
	# Dashboard, plans, navigation.
	"engineer-plan-carry-action|julien.moreau|plan:draft||plan.carry_action"
	"manager-dashboard-explained|claire.martin|dashboard"
	"manager-menu-badges|claire.martin|inbox"
	"engineer-inbox-search-as-you-type|julien.moreau|inbox"
	"manager-plans-by-status|claire.martin|plans"
	"manager-plan-causes|claire.martin|plan:submitted"
	"engineer-plan-draft-candidates|julien.moreau|plan-draft:CUT1"
	"signin-known-people||"
	# Problems and recurrence.
	"engineer-complaint-problem|julien.moreau|problem-complaint"
	"engineer-problem-move|julien.moreau|problem-complaint||problem.move"
	"engineer-problem-page|julien.moreau|problem"
	"engineer-problem-merge|julien.moreau|problem:merge"
	"manager-recurrences|claire.martin|recurrences"
	"engineer-problem-corrected|julien.moreau|problem-decided"
)

mkdir -p "$out" "$tmp/xdg"
chmod 700 "$tmp/xdg"

# shoot_once NAME LANG DATA [ENV...] -- ARGS: one app run, one PNG of its window.
shoot_once() {
	local name=$1 lang=$2 data=$3
	shift 3
	local envs=()
	while [[ $1 != -- ]]; do envs+=("$1"); shift; done
	shift
	local png=$out/$lang-$name.png
	: >"$tmp/shot.log"
	# With buttons to press, the shot waits (60 s at most) for the app to
	# log that it pressed them, then one second for the dialog to be drawn.
	env "${envs[@]}" XDG_RUNTIME_DIR="$tmp/xdg" FYNE_THEME=light FYNE_SCALE=1 \
		LANG="$(locale_of "$lang")" LC_ALL= LANGUAGE= HOME="$tmp/home-$lang" \
		xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
			"$@" >>"'"$tmp"'/shot.log" 2>&1 & p=$!
			for _ in $(seq 100); do wid=$(xdotool search --name "^Boucle$" 2>/dev/null | head -1) && [[ -n $wid ]] && break; sleep 0.1; done
			if [[ -n ${BOUCLE_TEST_PRESS:-} ]]; then
				for _ in $(seq 600); do grep -q "test mode: pressed" "'"$tmp"'/shot.log" && break; kill -0 $p 2>/dev/null || exit 3; sleep 0.1; done
				grep -q "test mode: pressed" "'"$tmp"'/shot.log" || exit 5
				sleep 1
			else
				sleep "'"${SHOT_WAIT:-4}"'"
			fi
			kill -0 $p 2>/dev/null || exit 3
			timeout 20 import -window "$wid" "'"$png"'" || exit 4
			# Fyne 2.8.1 can stay blocked in its quit with a pop-up menu
			# open: 15 s, then killed.
			kill $p; for _ in $(seq 75); do kill -0 $p 2>/dev/null || break; sleep 0.2; done
			kill -9 $p 2>/dev/null; wait $p 2>/dev/null || true
		' _ "$app_bin" "$@" || {
		cat "$tmp/shot.log" >>"$tmp/app.log"
		echo "screenshots: $lang-$name failed; the app's log ends with:" >&2
		tail -n 40 "$tmp/shot.log" >&2
		return 1
	}
	cat "$tmp/shot.log" >>"$tmp/app.log"
	echo "screenshots: wrote ${png#"$root"/}"
}

# shoot takes a shot, once more when the first attempt fails: xvfb-run -a
# picks a free display, but another X server started at the same moment
# (a test run beside it) can take that display first, and the app then
# finds no display at all (GLFW: PlatformUnavailable). A second failure
# is the app's and stops the run.
shoot() {
	shoot_once "$@" && return
	echo "screenshots: trying $2-$1 once more" >&2
	shoot_once "$@" || exit 1
}

locale_of() { [[ $1 == fr ]] && echo fr_FR.UTF-8 || echo en_US.UTF-8; }

want() { [[ -z ${SHOTS:-} || " $SHOTS " == *" $1 "* ]]; }

for lang in en fr; do
	data=$tmp/desk-$lang
	mkdir -p "$tmp/home-$lang"
	if want firstrun; then
		shoot firstrun "$lang" "$tmp/fresh-$lang" -- --server "http://$addr" --data "$tmp/fresh-$lang"
	fi
	# Enrol once (the first pull takes place during the first shot).
	enrolled=
	for entry in "${screens[@]}"; do
		IFS='|' read -r name login what extra press <<<"$entry"
		want "$name" || continue
		args=(--server "http://$addr" --data "$data")
		if [[ -z $enrolled ]]; then
			args+=(--enrol "$(enrol_code)" --station PRESS2)
			enrolled=1
		fi
		envs=(BOUCLE_TEST_SCREEN="$what")
		[[ -n $login ]] && envs+=(BOUCLE_TEST_LOGIN="$login:$password")
		[[ -n $extra ]] && envs+=("$extra")
		[[ -n $press ]] && envs+=(BOUCLE_TEST_PRESS="$press")
		shoot "$name" "$lang" "$data" "${envs[@]}" -- "${args[@]}"
	done
done
echo "screenshots: done; app log in $tmp/app.log (removed on exit)"
