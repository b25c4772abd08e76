// Entry point of the smtpspec command-line binary; see dispatch.h.
#include <iostream>
#include <string>
#include <vector>

#include "cli/allocator.h"
#include "cli/dispatch.h"

int main(int argc, char** argv) {
  smtpspec::cli::TuneAllocatorForParsing();
  std::vector<std::string> args(argv + 1, argv + argc);
  return smtpspec::cli::Dispatch(args, std::cout, std::cerr);
}
