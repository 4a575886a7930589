# For each built-in test digit: runs the three examples and `tinyonnx run`
# on the same input and requires the four probability vectors to be equal
# bit for bit (the .npy files byte for byte), and the digit recognized.
#
#   cmake -DEXAMPLES=mnist_examples -DTINYONNX=tinyonnx -DMODEL=mnist-small.onnx
#         -DWORK_DIR=dir -P compare_examples.cmake
file(MAKE_DIRECTORY ${WORK_DIR})

function(run_checked)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN} failed (${rc}):\n${out}${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

foreach(digit RANGE 9)
  set(input ${WORK_DIR}/digit${digit}.npy)
  foreach(mode header by-name interpreter)
    run_checked(${EXAMPLES} ${mode} ${MODEL} ${digit} --save-input ${input}
                --output ${WORK_DIR}/${mode}${digit}.npy)
    if(NOT run_output MATCHES "The number is ${digit}\n")
      message(FATAL_ERROR "example ${mode} misreads test digit ${digit}:\n${run_output}")
    endif()
    if(mode STREQUAL "header")
      set(shown "${run_output}")
    endif()
  endforeach()
  run_checked(${TINYONNX} run ${MODEL} --input ${input} --output ${WORK_DIR}/run${digit}.npy)
  foreach(other by-name interpreter run)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/header${digit}.npy
                            ${WORK_DIR}/${other}${digit}.npy
                    RESULT_VARIABLE differ)
    if(differ)
      message(FATAL_ERROR "digit ${digit}: ${other} gives other probabilities than the header "
                          "example:\n${shown}")
    endif()
  endforeach()
  message(STATUS "digit ${digit}: header, by-name, interpreter and tinyonnx run agree bit for bit")
endforeach()
