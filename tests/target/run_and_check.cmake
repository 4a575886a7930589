# Runs a command and checks its exit status and output (for tests whose
# success is not exit status 0, such as a fault handler's):
#
#   cmake "-DCOMMAND=emulator;args;elf;args" -DEXPECT_EXIT=246
#         "-DEXPECT_REGEX=UsageFault" ["-DREJECT_REGEX=..."] -P run_and_check.cmake
#
# EXPECT_EXIT is a regex (246, 24[0-9]); EXPECT_REGEX may be a list: every
# regex must match the output. EXPECT_REGEX_FILE names a file holding one
# more regex, written at build time (the host's answer).
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
set(failed "")
if(DEFINED EXPECT_EXIT AND NOT status MATCHES "^(${EXPECT_EXIT})$")
  string(APPEND failed "exit status ${status}, expected ${EXPECT_EXIT}; ")
endif()
if(DEFINED EXPECT_REGEX_FILE)
  file(READ "${EXPECT_REGEX_FILE}" regex_from_file)
  list(APPEND EXPECT_REGEX "${regex_from_file}")
endif()
foreach(regex IN LISTS EXPECT_REGEX)
  if(NOT "${out}${err}" MATCHES "${regex}")
    string(APPEND failed "no match for '${regex}'; ")
  endif()
endforeach()
if(DEFINED REJECT_REGEX AND "${out}${err}" MATCHES "${REJECT_REGEX}")
  string(APPEND failed "the output matches '${REJECT_REGEX}'; ")
endif()
if(failed)
  message(FATAL_ERROR "FAIL: ${failed}")
endif()
message("PASS (exit status ${status})")
