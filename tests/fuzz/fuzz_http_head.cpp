// libFuzzer target for the request head parser (web/server/http_head.hpp): any bytes, any
// limits, must give an answer that is consistent with the bytes. Built by the target
// fuzz_http_head when a clang++ with -fsanitize=fuzzer is found (tests/fuzz/CMakeLists.txt):
//   cmake --build build --target fuzz_http_head && build/tests/fuzz/bin/fuzz_http_head -max_total_time=60

#include <http_head.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace vigil::web::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The first byte picks small limits now and then, so that every limit is reached often.
    HeadLimits limits;
    if (size > 0 && (data[0] & 1))
        limits = HeadLimits{.max_request_line = 24, .max_header_line = 16, .max_head = 96, .max_headers = 3, .max_leading_blank = 2};
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto head = parse_head(bytes, limits);
    switch (head.state) {
    case ParsedHead::State::Complete:
        // A complete head ends with an empty line inside the input, within the limits.
        if (head.consumed < 4 || head.consumed > size || bytes.substr(head.consumed - 4, 4) != "\r\n\r\n") std::abort();
        if (head.version != "HTTP/1.1" && head.version != "HTTP/1.0") std::abort();
        if (head.headers.size() > limits.max_headers) std::abort();
        // Whatever follows the head never changes it (pipelining).
        if (parse_head(bytes.substr(0, head.consumed), limits).state != ParsedHead::State::Complete) std::abort();
        break;
    case ParsedHead::State::Refused:
        if (head.status != 400 && head.status != 414 && head.status != 431) std::abort();
        if (head.problem.empty()) std::abort();
        break;
    case ParsedHead::State::NeedMore:
        // Waiting is only allowed while the input is small enough to still become a head.
        if (size > limits.max_head + 2 * limits.max_leading_blank + 2) std::abort();
        break;
    }
    return 0;
}
