#!/bin/sh
# Checks the symbols of an ARM object: a firmware ELF or the core library.
#
# usage: check_symbols.sh NM FILE [absent:REGEX | present:REGEX]...
#
# Always: no heap (malloc, free, _sbrk, operator new/delete), no stdio, no
# exceptions or RTTI, whether defined or referenced. Then each absent:REGEX
# must match no symbol and each present:REGEX some symbol (demangled names,
# extended regular expressions): an op left out of the OpResolver must have
# left no code behind.
set -eu
nm="$1"
file="$2"
shift 2
names=$(mktemp)
trap 'rm -f "$names" "$names.c"' EXIT
"$nm" --format=posix "$file" 2>/dev/null | awk 'NF >= 2 {print $1}' | sort -u > "$names"
"$nm" -C "$file" 2>/dev/null | sed -E 's/^[0-9a-f ]{8,} +[A-Za-z] +//; s/^ +[A-Za-z] +//' | sort -u > "$names.c"
if [ ! -s "$names" ]; then
  echo "FAIL: $nm found no symbols in $file"
  exit 1
fi
forbidden='^(malloc|calloc|realloc|free|_malloc_r|_free_r|_calloc_r|_realloc_r|_sbrk|_sbrk_r|_Znwj|_Znaj|_ZdlPv|_ZdaPv|_ZdlPvj|_ZdaPvj|printf|fprintf|sprintf|snprintf|vsnprintf|vfprintf|_vfprintf_r|puts|fputs|fopen|fwrite|fread|__cxa_throw|__cxa_allocate_exception|__cxa_begin_catch|__gxx_personality_v0|_Unwind_Resume|__dynamic_cast|_ZTI.*|_ZTS.*|_ZSt4cout|_ZNSt8ios_base.*)$'
bad=$(grep -E "$forbidden" "$names" || true)
status=0
if [ -n "$bad" ]; then
  echo "FAIL: heap, stdio, exception or RTTI symbols in $file:"
  echo "$bad" | sed 's/^/  /'
  status=1
fi
for check in "$@"; do
  regex="${check#*:}"
  case "$check" in
    absent:*)
      hits=$(grep -E "$regex" "$names.c" || true)
      if [ -n "$hits" ]; then
        echo "FAIL: symbols matching '$regex' are linked:"
        echo "$hits" | head -20 | sed 's/^/  /'
        status=1
      else
        echo "ok    no symbol matches '$regex'"
      fi ;;
    present:*)
      if grep -qE "$regex" "$names.c"; then
        echo "ok    a symbol matches '$regex'"
      else
        echo "FAIL: no symbol matches '$regex'"
        status=1
      fi ;;
    *) echo "check_symbols: bad check '$check' (absent:REGEX or present:REGEX)"; exit 2 ;;
  esac
done
count=$(wc -l < "$names")
if [ "$status" -eq 0 ]; then
  echo "PASS: $(basename "$file"): $count symbols, no heap, stdio, exceptions or RTTI"
fi
exit "$status"
