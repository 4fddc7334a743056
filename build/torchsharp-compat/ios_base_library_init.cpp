// GCC 13's libstdc++ starts the standard streams through std::ios_base_library_init() (GLIBCXX_3.4.32), and
// TorchSharp's libLibTorchSharp.so, built with GCC 13, calls it. Debian 12's libstdc++ (GCC 12) has no such
// function: there a static std::ios_base::Init does the same work. scripts/torchsharp-compat.sh links this
// library into libLibTorchSharp.so only on systems whose libstdc++ lacks GLIBCXX_3.4.32.
#include <ios>

namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}
