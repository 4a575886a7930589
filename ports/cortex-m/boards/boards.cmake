# Board definitions: the QEMU machine, the CPUs whose code runs on it, and
# the linker script (boards/<board>.ld, which INCLUDEs ld/sections.ld).
#
#   board          QEMU machine    core         memory (code / data)
#   netduinoplus2  netduinoplus2   Cortex-M4F   1 MiB flash / 128 KiB SRAM
#   mps2-an386     mps2-an386      Cortex-M4F   4 MiB SSRAM / 4 MiB SSRAM
#   mps2-an500     mps2-an500      Cortex-M7    4 MiB SSRAM / 4 MiB SSRAM
#   mps2-an385     mps2-an385      Cortex-M3    4 MiB SSRAM / 4 MiB SSRAM

set(TINYONNX_KNOWN_BOARDS netduinoplus2 mps2-an386 mps2-an500 mps2-an385)

# CPU builds (TINYONNX_CPU) each board runs: an M3 build runs on every
# board, an M4F build on the M4F and M7 boards, an M7 build (FPv5, double
# precision) only on the M7.
set(TINYONNX_BOARD_CPUS_netduinoplus2 cortex-m4f cortex-m3)
set(TINYONNX_BOARD_CPUS_mps2-an386 cortex-m4f cortex-m3)
set(TINYONNX_BOARD_CPUS_mps2-an500 cortex-m7 cortex-m4f cortex-m3)
set(TINYONNX_BOARD_CPUS_mps2-an385 cortex-m3)

# RAM for data (the linker script's RAM region), to tell at configure time
# whether a firmware's static buffers fit.
set(TINYONNX_BOARD_RAM_netduinoplus2 131072)
set(TINYONNX_BOARD_RAM_mps2-an386 4194304)
set(TINYONNX_BOARD_RAM_mps2-an500 4194304)
set(TINYONNX_BOARD_RAM_mps2-an385 4194304)

# The boards a build for each CPU targets unless TINYONNX_BOARDS says otherwise.
set(TINYONNX_DEFAULT_BOARDS_cortex-m4f netduinoplus2 mps2-an386)
set(TINYONNX_DEFAULT_BOARDS_cortex-m7 mps2-an500)
set(TINYONNX_DEFAULT_BOARDS_cortex-m3 mps2-an385)
