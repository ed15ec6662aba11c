// Status and Result<T>: errors as values at the edges of fleetsim (file parsing, I/O, CLI).
//
// A Status is either ok or carries a human-readable message that already includes its context
// (for YAML: "file:line:col: expected ..."). Result<T> holds either a value or a failed Status.
// Both are plain values: cheap to move, safe to return across threads. Inside the engine,
// invariants are checked with assertions instead.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace fleetsim {

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_.has_value(); }
  const std::string& message() const {
    static const std::string kEmpty;
    return message_ ? *message_ : kEmpty;
  }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace fleetsim
