# Fails if examples/mnist_small_weights.h differs from what
# `tinyonnx export-header` writes for the model now.
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(COMMAND ${TINYONNX} export-header ${MODEL} -o ${WORK_DIR}/mnist_small_weights.h
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "export-header failed: ${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/mnist_small_weights.h ${COMMITTED}
                RESULT_VARIABLE differ)
if(differ)
  message(FATAL_ERROR "${COMMITTED} is stale; regenerate: tinyonnx export-header ${MODEL} -o ${COMMITTED}")
endif()
