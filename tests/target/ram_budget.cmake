# Checks that a firmware's RAM sections fit a budget, then runs it and checks
# its output (run_and_check.cmake):
#
#   cmake -DSIZE_TOOL=arm-none-eabi-size -DELF=fw.elf -DBUDGET=16384
#         "-DCOMMAND=emulator;args;fw.elf" "-DEXPECT_REGEX=..." -P ram_budget.cmake
#
# With "-DCODE_CHECK=command;args" that command (bench/footprint.py
# --code-budget) must also succeed: the flash budget of the code.
#
# RAM = .stack (with its MPU guard), .data, .arena, .bss: everything the
# linker places in RAM. The stack and the arena are the sizes the firmware
# was linked with, so a run that succeeds shows they are enough (the stack
# guard faults on overflow, a short arena fails Prepare()).
execute_process(COMMAND ${SIZE_TOOL} -A -d ${ELF} RESULT_VARIABLE status OUTPUT_VARIABLE sections)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "FAIL: ${SIZE_TOOL} -A ${ELF} exited with ${status}")
endif()
# The span from the lowest of these sections to the end of the highest,
# so alignment gaps between them count too.
set(low "")
set(high 0)
set(listing "")
foreach(section .stack .data .arena .bss)
  if(sections MATCHES "\n\\${section} +([0-9]+) +([0-9]+)")
    set(size ${CMAKE_MATCH_1})
    set(address ${CMAKE_MATCH_2})
    math(EXPR end "${address} + ${size}")
    if(low STREQUAL "" OR address LESS low)
      set(low ${address})
    endif()
    if(end GREATER high)
      set(high ${end})
    endif()
    string(APPEND listing "${section} ${size}  ")
  endif()
endforeach()
if(low STREQUAL "")
  message(FATAL_ERROR "FAIL: no RAM sections in ${ELF}")
endif()
math(EXPR total "${high} - ${low}")
message("RAM: ${listing}-> ${total} bytes from the first to the end of the last (budget ${BUDGET})")
if(total GREATER BUDGET)
  message(FATAL_ERROR "FAIL: the RAM sections span ${total} bytes, over the budget of ${BUDGET}")
endif()
if(DEFINED CODE_CHECK)
  execute_process(COMMAND ${CODE_CHECK} RESULT_VARIABLE status OUTPUT_VARIABLE report
                  ERROR_VARIABLE report)
  message("${report}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "FAIL: the code budget check exited with ${status}")
  endif()
endif()
include(${CMAKE_CURRENT_LIST_DIR}/run_and_check.cmake)
