# Writes a C++ source holding a file's bytes as a const array, 16-byte
# aligned, in the section .tinyonnx_model (the linker script keeps it in
# flash as the output section .model). Like `xxd -i`, in CMake script mode:
#
#   cmake -DINPUT=model.onnx -DOUTPUT=model_data.cc -DNAME=mnist-small.onnx
#         -P embed_file.cmake
#
# defines  extern "C" const uint8_t tinyonnx_model[];
#          extern "C" const size_t tinyonnx_model_size;
#          extern "C" const char tinyonnx_model_name[];
foreach(var INPUT OUTPUT NAME)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_file.cmake: -D${var}=... is required")
  endif()
endforeach()
file(SIZE "${INPUT}" size)
if(size EQUAL 0)
  message(FATAL_ERROR "embed_file.cmake: ${INPUT} is empty")
endif()
file(READ "${INPUT}" hex HEX)
# 0xab, per byte; 16 bytes a line.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REPEAT "0x[0-9a-f][0-9a-f]," 16 line)  # CMake regexes have no {n}
string(REGEX REPLACE "(${line})" "\\1\n    " bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${NAME} by firmware/cmake/embed_file.cmake; do not edit.
#include <cstddef>
#include <cstdint>

extern \"C\" const uint8_t tinyonnx_model[${size}]
    __attribute__((aligned(16), section(\".tinyonnx_model\"))) = {
    ${bytes}
};
extern \"C\" const size_t tinyonnx_model_size = ${size};
extern \"C\" const char tinyonnx_model_name[] = \"${NAME}\";
")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
