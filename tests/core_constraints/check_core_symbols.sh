#!/bin/sh
# Checks that the core library (compiled with -fno-exceptions -fno-rtti)
# references no heap, stdio/iostream, exception or RTTI symbols.
# usage: check_core_symbols.sh libtinyonnx_core.a
set -eu
lib="$1"
forbidden='^(malloc|calloc|realloc|free|_Znwm|_Znam|_ZdlPv|_ZdaPv|_ZdlPvm|_ZdaPvm|printf|fprintf|sprintf|snprintf|vsnprintf|puts|fopen|fwrite|fread|__cxa_throw|__cxa_allocate_exception|__cxa_begin_catch|__gxx_personality_v0|_ZTI.*|_ZTS.*|_ZNSt8ios_base.*|_ZSt4cout|_ZSt4cerr|__dynamic_cast)$'
found=$(nm -u --format=posix "$lib" | awk '{print $1}' | sort -u | grep -E "$forbidden" || true)
# Also catch definitions of RTTI/typeinfo objects inside the library.
rtti=$(nm --defined-only --format=posix "$lib" 2>/dev/null | awk '{print $1}' | grep -E '^_ZT[IS]' || true)
if [ -n "$found$rtti" ]; then
  echo "FAIL: the core references forbidden symbols:"
  echo "$found$rtti"
  exit 1
fi
count=$(nm -u --format=posix "$lib" | awk '{print $1}' | sort -u | wc -l)
echo "PASS: $lib references $count external symbols, none of them heap, stdio, exceptions or RTTI"
