# Runs the package's msh commands on the PC (rtt_host_shell) and checks
# what they print:
#   onnx_info      the same text as `tinyonnx info`, for the four models;
#   onnx_run       reads built-in digit 3 from a .npy file as a 3;
#   onnx_mnist     reads digit 7 as a 7;
#   onnx_bench     float and int8 models in two threads give what each gives alone;
#   onnx_examples  the three examples agree bit for bit.
file(MAKE_DIRECTORY ${WORK_DIR})

function(run_checked expect)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "${expect}")
    message(FATAL_ERROR "${ARGN}: exit ${rc}, expected output matching '${expect}':\n${out}${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

foreach(model mnist-small mnist-small-int8 mnist-cnn mnist-cnn-int8)
  set(path ${MODELS}/${model}.onnx)
  run_checked("required" ${SHELL} onnx_info ${path})
  set(device "${run_output}")
  run_checked("required" ${TINYONNX} info ${path})
  if(NOT device STREQUAL run_output)
    message(FATAL_ERROR "onnx_info ${model} differs from tinyonnx info:\n${device}\n---\n${run_output}")
  endif()
endforeach()

run_checked("The number is 3" ${EXAMPLES} header ${MODELS}/mnist-small.onnx 3
            --save-input ${WORK_DIR}/digit3.npy)
run_checked("largest: index 3" ${SHELL} onnx_run ${MODELS}/mnist-small.onnx ${WORK_DIR}/digit3.npy)
run_checked("The number is 7" ${SHELL} onnx_mnist 7 ${MODELS}/mnist-small.onnx)
run_checked("outputs identical to the outputs of each model alone" ${SHELL} onnx_bench
            ${MODELS}/mnist-small.onnx ${MODELS}/mnist-small-int8.onnx 3)
run_checked("agree bit for bit: yes" ${SHELL} onnx_examples 5 ${MODELS}/mnist-small.onnx)
