// The last-error channel: one message per thread, read by the C# side right after a failed call.
#include "ps_common.h"
#include <string>

namespace {
thread_local std::string last_error;
}

void ps::set_error(const char* message) { last_error = message ? message : ""; }

PS_API const char* ps_last_error() { return last_error.c_str(); }

PS_API void ps_clear_error() { last_error.clear(); }

PS_API void ps_string_free(char* s) { std::free(s); }
