#!/bin/sh
# Runs a bare-metal Cortex-M ELF under QEMU with semihosting and returns the
# program's exit status (the code it passed to SYS_EXIT_EXTENDED).
#
# usage: run_qemu.sh [--board BOARD] [--timeout SECONDS] ELF [ARGS...]
#
#   BOARD     netduinoplus2 (STM32F405, Cortex-M4F), mps2-an386 (Cortex-M4F),
#             mps2-an500 (Cortex-M7), mps2-an385 (Cortex-M3); by default the
#             board whose name the ELF's file name contains.
#   SECONDS   wall-clock limit (default 60, or $TINYONNX_QEMU_TIMEOUT);
#             a timeout exits with status 124.
#   ARGS      the program's command line (argv[1..]), through semihosting.
#
# Exit status: the program's own (0 = success); 240+n after a fault
# (243 HardFault, 244 MemManage, 245 BusFault, 246 UsageFault) and 255 after
# an unexpected interrupt, as ports/cortex-m/startup.c reports them; 124 on
# timeout. It is also the CMAKE_CROSSCOMPILING_EMULATOR of cross builds.
set -eu

board=""
seconds="${TINYONNX_QEMU_TIMEOUT:-60}"
while [ $# -gt 0 ]; do
  case "$1" in
    --board) board="$2"; shift 2 ;;
    --board=*) board="${1#--board=}"; shift ;;
    --timeout) seconds="$2"; shift 2 ;;
    --timeout=*) seconds="${1#--timeout=}"; shift ;;
    --) shift; break ;;
    -*) echo "run_qemu: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -lt 1 ]; then
  echo "usage: run_qemu.sh [--board BOARD] [--timeout SECONDS] ELF [ARGS...]" >&2
  exit 2
fi
elf="$1"
shift
if [ ! -f "$elf" ]; then
  echo "run_qemu: $elf: no such file" >&2
  exit 2
fi
if [ -z "$board" ]; then
  for candidate in netduinoplus2 mps2-an386 mps2-an500 mps2-an385; do
    case "$(basename "$elf")" in
      *"$candidate"*) board="$candidate"; break ;;
    esac
  done
fi
case "$board" in
  netduinoplus2|mps2-an386|mps2-an500|mps2-an385) ;;
  "") echo "run_qemu: no --board given and none in the file name $elf" >&2; exit 2 ;;
  *) echo "run_qemu: unknown board '$board' (netduinoplus2, mps2-an386, mps2-an500, mps2-an385)" >&2; exit 2 ;;
esac
command -v qemu-system-arm >/dev/null 2>&1 || {
  echo "run_qemu: qemu-system-arm not found (Debian: apt-get install qemu-system-arm)" >&2
  exit 2
}

# The semihosting command line: argv[0] is the ELF's name. QEMU's option
# parser takes ",," for a literal comma.
config="enable=on,target=native,arg=$(basename "$elf")"
for arg in "$@"; do
  config="$config,arg=$(printf '%s' "$arg" | sed 's/,/,,/g')"
done

status=0
timeout -k 5 "$seconds" qemu-system-arm -M "$board" -kernel "$elf" \
  -semihosting-config "$config" -display none -monitor none -serial none \
  </dev/null || status=$?
if [ "$status" -eq 124 ]; then
  echo "run_qemu: $(basename "$elf") on $board timed out after ${seconds}s" >&2
fi
exit "$status"
