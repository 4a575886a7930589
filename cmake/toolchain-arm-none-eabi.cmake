# CMake toolchain file for bare-metal Cortex-M with the GNU Arm Embedded
# toolchain (Debian: gcc-arm-none-eabi, libnewlib-arm-none-eabi,
# libstdc++-arm-none-eabi-newlib) and QEMU (qemu-system-arm) to run tests.
#
#   cmake -S . -B build-arm-m4f --toolchain cmake/toolchain-arm-none-eabi.cmake \
#         -DTINYONNX_CPU=cortex-m4f
#   cmake --build build-arm-m4f && ctest --test-dir build-arm-m4f
#
# or use the presets in CMakePresets.json (cmake --preset arm-cortex-m4f).
#
# TINYONNX_CPU selects the code generation:
#   cortex-m4f  -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard
#   cortex-m7   -mcpu=cortex-m7 -mfpu=fpv5-d16    -mfloat-abi=hard
#   cortex-m3   -mcpu=cortex-m3                   -mfloat-abi=soft
# and the boards built and tested by default (TINYONNX_BOARDS, see
# ports/cortex-m/boards/boards.cmake).

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(TINYONNX_CPU "cortex-m4f" CACHE STRING "Target CPU: cortex-m4f, cortex-m7 or cortex-m3")
set_property(CACHE TINYONNX_CPU PROPERTY STRINGS cortex-m4f cortex-m7 cortex-m3)
# Passed on to try_compile projects, which re-read this file.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES TINYONNX_CPU)

find_program(TINYONNX_ARM_GCC arm-none-eabi-gcc)
if(NOT TINYONNX_ARM_GCC)
  message(FATAL_ERROR "arm-none-eabi-gcc not found (Debian: apt-get install gcc-arm-none-eabi "
                      "libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib)")
endif()
get_filename_component(_tinyonnx_arm_bin "${TINYONNX_ARM_GCC}" DIRECTORY)
set(CMAKE_C_COMPILER "${_tinyonnx_arm_bin}/arm-none-eabi-gcc")
set(CMAKE_CXX_COMPILER "${_tinyonnx_arm_bin}/arm-none-eabi-g++")
set(CMAKE_ASM_COMPILER "${_tinyonnx_arm_bin}/arm-none-eabi-gcc")
set(CMAKE_OBJCOPY "${_tinyonnx_arm_bin}/arm-none-eabi-objcopy" CACHE FILEPATH "")
set(CMAKE_SIZE "${_tinyonnx_arm_bin}/arm-none-eabi-size" CACHE FILEPATH "")
set(CMAKE_NM "${_tinyonnx_arm_bin}/arm-none-eabi-nm" CACHE FILEPATH "")
set(CMAKE_EXECUTABLE_SUFFIX_C ".elf")
set(CMAKE_EXECUTABLE_SUFFIX_CXX ".elf")

# Test compiles build a library: linking needs our startup code and script.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

if(TINYONNX_CPU STREQUAL "cortex-m4f")
  set(TINYONNX_CPU_FLAGS -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard)
elseif(TINYONNX_CPU STREQUAL "cortex-m7")
  set(TINYONNX_CPU_FLAGS -mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard)
elseif(TINYONNX_CPU STREQUAL "cortex-m3")
  set(TINYONNX_CPU_FLAGS -mcpu=cortex-m3 -mfloat-abi=soft)
else()
  message(FATAL_ERROR "TINYONNX_CPU='${TINYONNX_CPU}': use cortex-m4f, cortex-m7 or cortex-m3")
endif()
list(PREPEND TINYONNX_CPU_FLAGS -mthumb)

# The flags every target object and link gets. The top-level CMakeLists.txt
# applies them with add_compile_options/add_link_options, so they hold even
# when CMAKE_CXX_FLAGS or CMAKE_EXE_LINKER_FLAGS are set on the command line.
#   -ffunction-sections -fdata-sections + --gc-sections: the linker drops
#   what is unused, so an op left out of the firmware's OpResolver costs no
#   flash.
#   --specs=nano.specs: newlib-nano for memcpy/memset and libm; -nostartfiles:
#   no crt0 (ports/cortex-m/startup.c); no syscalls and no _sbrk are linked,
#   so a stray printf or malloc is a link error.
set(TINYONNX_TARGET_COMPILE_OPTIONS ${TINYONNX_CPU_FLAGS} -ffunction-sections -fdata-sections
    $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions> $<$<COMPILE_LANGUAGE:CXX>:-fno-rtti>
    $<$<COMPILE_LANGUAGE:CXX>:-fno-threadsafe-statics>)
set(TINYONNX_TARGET_LINK_OPTIONS ${TINYONNX_CPU_FLAGS} --specs=nano.specs -nostartfiles
    -Wl,--gc-sections)

# The compiler checks see the CPU flags too (a project using this file on
# its own must add TINYONNX_TARGET_*_OPTIONS itself; --specs can only be
# given once, so it is not repeated here).
string(REPLACE ";" " " _tinyonnx_cpu_flags "${TINYONNX_CPU_FLAGS}")
set(CMAKE_C_FLAGS_INIT "${_tinyonnx_cpu_flags}")
set(CMAKE_CXX_FLAGS_INIT "${_tinyonnx_cpu_flags}")
set(CMAKE_ASM_FLAGS_INIT "${_tinyonnx_cpu_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${_tinyonnx_cpu_flags}")

# Release: -O2 (CMake's default -O3 grows code for little gain on a
# microcontroller); MinSizeRel: -Os. Cache entries, because CMake appends
# its own -O3/-Os to the *_INIT flags. Both are measured in docs/cortex-m.md.
foreach(lang C CXX ASM)
  set(CMAKE_${lang}_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "")
  set(CMAKE_${lang}_FLAGS_MINSIZEREL "-Os -DNDEBUG" CACHE STRING "")
endforeach()

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# ctest runs the target executables under QEMU. The wrapper picks the QEMU
# machine from the executable's board (ports/cortex-m/boards/boards.cmake
# sets it per target); this default serves a target without one.
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/../ports/cortex-m/run_qemu.sh")
