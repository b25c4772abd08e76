// Errors as values. Nothing in the engine throws across its API: every
// fallible call returns a Result<T> (a value or an Error) or a Status.
//
// gcc 12 has no std::expected under -std=c++20, so this is a small,
// deliberately boring stand-in with the same shape.
#ifndef SMTPSPEC_ENGINE_RESULT_H_
#define SMTPSPEC_ENGINE_RESULT_H_

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace smtpspec {

// Where and why an input was rejected. `offset` counts bytes from the start
// of the input the failing call was given (for streaming readers: from the
// start of the stream), so callers can turn it into line:col.
struct Error {
  std::size_t offset = 0;
  std::string reason;

  bool operator==(const Error&) const = default;
};

// A value of type T, or an Error. Accessing value() on an error (or error()
// on a value) is a programming bug and aborts via std::get.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result of an operation with nothing to return.
using Status = Result<std::monostate>;
inline Status OkStatus() { return Status(std::monostate{}); }

}  // namespace smtpspec

#endif  // SMTPSPEC_ENGINE_RESULT_H_
