# Writes a C++ source holding MNIST test images COUNT images from index
# FIRST of the t10k IDX files, as const arrays in flash:
#
#   cmake -DMNIST_DIR=.cache/mnist -DFIRST=0 -DCOUNT=20 -DOUTPUT=images.cc
#         -P embed_mnist.cmake
#
# defines  extern "C" const uint32_t tinyonnx_mnist_first, tinyonnx_mnist_count;
#          extern "C" const uint8_t tinyonnx_mnist_images[COUNT * 784];
#          extern "C" const uint8_t tinyonnx_mnist_labels[COUNT];
# The MNIST data stays out of the repository: scripts/fetch_mnist.sh fetches it.
foreach(var MNIST_DIR FIRST COUNT OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_mnist.cmake: -D${var}=... is required")
  endif()
endforeach()
set(images_file "${MNIST_DIR}/t10k-images-idx3-ubyte")
set(labels_file "${MNIST_DIR}/t10k-labels-idx1-ubyte")
foreach(f "${images_file}" "${labels_file}")
  if(NOT EXISTS "${f}")
    message(FATAL_ERROR "embed_mnist.cmake: ${f} not found; run: sh scripts/fetch_mnist.sh")
  endif()
endforeach()
file(READ "${images_file}" header LIMIT 16 HEX)
if(NOT header MATCHES "^00000803(........)0000001c0000001c$")
  message(FATAL_ERROR "embed_mnist.cmake: ${images_file} is not an IDX file of 28x28 images")
endif()
math(EXPR total "0x${CMAKE_MATCH_1}" OUTPUT_FORMAT DECIMAL)
math(EXPR last "${FIRST} + ${COUNT}")
if(COUNT LESS 1 OR last GREATER total)
  message(FATAL_ERROR "embed_mnist.cmake: images ${FIRST}..${last} are outside the ${total} test images")
endif()
math(EXPR offset "16 + ${FIRST} * 784")
math(EXPR length "${COUNT} * 784")
file(READ "${images_file}" hex OFFSET ${offset} LIMIT ${length} HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," pixels "${hex}")
# One image row (28 pixels) per line.
string(REPEAT "0x[0-9a-f][0-9a-f]," 28 line)  # CMake regexes have no {n}
string(REGEX REPLACE "(${line})" "\\1\n    " pixels "${pixels}")
math(EXPR offset "8 + ${FIRST}")
file(READ "${labels_file}" hex OFFSET ${offset} LIMIT ${COUNT} HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," labels "${hex}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from MNIST t10k images ${FIRST}..${last} (exclusive) by
// firmware/cmake/embed_mnist.cmake; do not edit.
#include <cstdint>

extern \"C\" const uint32_t tinyonnx_mnist_first = ${FIRST};
extern \"C\" const uint32_t tinyonnx_mnist_count = ${COUNT};
extern \"C\" const uint8_t tinyonnx_mnist_labels[${COUNT}] = {${labels}};
extern \"C\" const uint8_t tinyonnx_mnist_images[${length}] = {
    ${pixels}
};
")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
