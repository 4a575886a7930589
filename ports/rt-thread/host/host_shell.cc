// host_shell COMMAND [ARGS...]: runs one msh command of the package on the
// PC through the stand-in RT-Thread API (rtthread.h). Exit status: the
// command's (0 on success).
#include <cstdio>

#include "rtthread.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: host_shell COMMAND [ARGS...]\n");
    return 2;
  }
  rtt_host::Command command = rtt_host::FindCommand(argv[1]);
  if (command == nullptr) {
    std::fprintf(stderr, "%s: command not found.\n", argv[1]);
    return 2;
  }
  return command(argc - 1, argv + 1) == 0 ? 0 : 1;
}
