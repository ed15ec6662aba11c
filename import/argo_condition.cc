#include "import/argo_condition.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "import/spec_field.h"

namespace fleetsim::import {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Normalises a list of intervals: sorted, merged where they touch.
std::vector<Interval> Normalise(std::vector<Interval> v) {
  v.erase(std::remove_if(v.begin(), v.end(),
                         [](const Interval& i) {
                           return i.lo > i.hi || (i.lo == i.hi && !(i.lo_closed && i.hi_closed));
                         }),
          v.end());
  std::sort(v.begin(), v.end(), [](const Interval& a, const Interval& b) {
    return a.lo < b.lo || (a.lo == b.lo && a.lo_closed && !b.lo_closed);
  });
  std::vector<Interval> out;
  for (const Interval& i : v) {
    if (!out.empty()) {
      Interval& last = out.back();
      const bool touch = i.lo < last.hi || (i.lo == last.hi && (i.lo_closed || last.hi_closed));
      if (touch) {
        if (i.hi > last.hi || (i.hi == last.hi && i.hi_closed)) {
          last.hi = i.hi;
          last.hi_closed = i.hi_closed;
        }
        continue;
      }
    }
    out.push_back(i);
  }
  return out;
}

}  // namespace

Region Region::All() { return Region{{Interval{-kInf, kInf, false, false}}, true}; }
Region Region::None() { return Region{{}, false}; }

Region Region::Complement() const {
  Region out;
  out.no_data = !no_data;
  double lo = -kInf;
  bool lo_closed = false;
  for (const Interval& i : intervals) {
    out.intervals.push_back(Interval{lo, i.lo, lo_closed, !i.lo_closed});
    lo = i.hi;
    lo_closed = !i.hi_closed;
  }
  out.intervals.push_back(Interval{lo, kInf, lo_closed, false});
  out.intervals = Normalise(out.intervals);
  return out;
}

Region Region::Union(const Region& o) const {
  Region out;
  out.no_data = no_data || o.no_data;
  out.intervals = intervals;
  out.intervals.insert(out.intervals.end(), o.intervals.begin(), o.intervals.end());
  out.intervals = Normalise(out.intervals);
  return out;
}

Region Region::Intersect(const Region& o) const {
  // A and B = not (not A or not B).
  return Complement().Union(o.Complement()).Complement();
}

bool Region::CoversAllValues() const {
  return intervals.size() == 1 && intervals[0].lo == -kInf && intervals[0].hi == kInf;
}

std::optional<ValueBound> Region::AsBound() const {
  if (intervals.size() != 1) return std::nullopt;
  const Interval& i = intervals[0];
  ValueBound b;
  if (i.lo > -kInf) {
    b.min = i.lo;
    b.min_strict = !i.lo_closed;
  }
  if (i.hi < kInf) {
    b.max = i.hi;
    b.max_strict = !i.hi_closed;
  }
  return b;
}

std::string Region::Describe() const {
  std::string out;
  for (const Interval& i : intervals) {
    if (!out.empty()) out += " or ";
    out += (i.lo_closed ? "[" : "(") + (i.lo == -kInf ? "-inf" : FormatNumber(i.lo)) + ", " +
           (i.hi == kInf ? "inf" : FormatNumber(i.hi)) + (i.hi_closed ? "]" : ")");
  }
  if (no_data) out += out.empty() ? "no data" : " or no data";
  return out.empty() ? "nothing" : out;
}

namespace {

// A parsed (sub)condition: the values it accepts and what it gives on an empty result.
struct Cond {
  Region region;
  EmptyResult empty = EmptyResult::kError;
};

// expr-lang evaluates && and || left to right and stops early; an error stops everything.
EmptyResult EmptyOr(EmptyResult a, EmptyResult b) {
  if (a == EmptyResult::kFalse) return b;
  return a;  // true: b is not evaluated; error: propagates
}
EmptyResult EmptyAnd(EmptyResult a, EmptyResult b) {
  if (a == EmptyResult::kTrue) return b;
  return a;
}
EmptyResult EmptyNot(EmptyResult a) {
  if (a == EmptyResult::kError) return a;
  return a == EmptyResult::kTrue ? EmptyResult::kFalse : EmptyResult::kTrue;
}

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  std::optional<Cond> Parse(std::string* error) {
    Cond r = Or();
    Skip();
    if (error_.empty() && i_ != s_.size()) error_ = "unexpected '" + s_.substr(i_) + "'";
    if (!error_.empty()) {
      *error = error_;
      return std::nullopt;
    }
    return r;
  }

 private:
  void Skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool Eat(const std::string& token) {
    Skip();
    if (s_.compare(i_, token.size(), token) != 0) return false;
    // Word tokens must not run into an identifier.
    if (std::isalpha(static_cast<unsigned char>(token.back())) && i_ + token.size() < s_.size() &&
        (std::isalnum(static_cast<unsigned char>(s_[i_ + token.size()])) ||
         s_[i_ + token.size()] == '_'))
      return false;
    i_ += token.size();
    return true;
  }
  void Expect(const std::string& token) {
    if (!Eat(token) && error_.empty())
      error_ = "expected '" + token + "' at '" + s_.substr(std::min(i_, s_.size())) + "'";
  }
  Cond Fail(const std::string& why) {
    if (error_.empty()) error_ = why;
    return Cond{Region::None(), EmptyResult::kError};
  }

  Cond Or() {
    Cond r = And();
    while (error_.empty() && (Eat("||") || Eat("or"))) {
      const Cond b = And();
      r = Cond{r.region.Union(b.region), EmptyOr(r.empty, b.empty)};
    }
    return r;
  }
  Cond And() {
    Cond r = Unary();
    while (error_.empty() && (Eat("&&") || Eat("and"))) {
      const Cond b = Unary();
      r = Cond{r.region.Intersect(b.region), EmptyAnd(r.empty, b.empty)};
    }
    return r;
  }
  Cond Unary() {
    if (Eat("!") || Eat("not")) {
      const Cond a = Unary();
      return Cond{a.region.Complement(), EmptyNot(a.empty)};
    }
    return Primary();
  }

  std::optional<double> Number() {
    Skip();
    size_t j = i_;
    if (j < s_.size() && (s_[j] == '-' || s_[j] == '+')) ++j;
    const size_t digits = j;
    while (j < s_.size() &&
           (std::isdigit(static_cast<unsigned char>(s_[j])) || s_[j] == '.' || s_[j] == 'e' ||
            s_[j] == 'E' ||
            ((s_[j] == '-' || s_[j] == '+') && (s_[j - 1] == 'e' || s_[j - 1] == 'E'))))
      ++j;
    if (j == digits) return std::nullopt;
    try {
      size_t used = 0;
      const double v = std::stod(s_.substr(i_, j - i_), &used);
      if (used != j - i_) return std::nullopt;
      i_ = j;
      return v;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  // The value expression: result, result[N], result.field, asFloat(v), default(v, N).
  bool Value() {
    if (Eat("asFloat(") || Eat("float(")) {
      if (!Value()) return false;
      Expect(")");
      return error_.empty();
    }
    if (Eat("default(")) {
      if (!Value()) return false;
      Expect(",");
      if (!Number()) return Fail("default(value, N): expected a number").region.Empty();
      Expect(")");
      return error_.empty();
    }
    if (!Eat("result")) return false;
    for (;;) {
      if (Eat("[")) {
        Skip();
        while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        Expect("]");
      } else if (Eat(".")) {
        while (i_ < s_.size() &&
               (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_'))
          ++i_;
      } else {
        break;
      }
    }
    return error_.empty();
  }

  // The comparison operator at the cursor; "" when none.
  std::string Op() {
    for (const char* op : {"<=", ">=", "==", "!=", "<", ">"}) {
      if (Eat(op)) return op;
    }
    return "";
  }

  // The region of `value OP number`.
  static Region Compare(const std::string& op, double x) {
    if (op == "<") return Region{{Interval{-kInf, x, false, false}}, false};
    if (op == "<=") return Region{{Interval{-kInf, x, false, true}}, false};
    if (op == ">") return Region{{Interval{x, kInf, false, false}}, false};
    if (op == ">=") return Region{{Interval{x, kInf, true, false}}, false};
    Region point{{Interval{x, x, true, true}}, false};
    if (op == "==") return point;
    Region r = point.Complement();  // != : every other value, but NaN compares false
    r.no_data = false;
    return r;
  }
  static bool Contains(const Region& r, double x) {
    for (const Interval& i : r.intervals) {
      if ((x > i.lo || (x == i.lo && i.lo_closed)) && (x < i.hi || (x == i.hi && i.hi_closed)))
        return true;
    }
    return false;
  }
  static std::string Mirror(const std::string& op) {
    if (op == "<") return ">";
    if (op == "<=") return ">=";
    if (op == ">") return "<";
    if (op == ">=") return "<=";
    return op;
  }

  // Comparisons and isNaN/isInf read the value, which an empty result does not have: expr-lang
  // fails (index out of range, or a list compared with a number), and default() does not help
  // (its first argument is evaluated first, and an empty list is not nil).
  Cond Primary() {
    if (Eat("(")) {
      Cond r = Or();
      Expect(")");
      return r;
    }
    if (Eat("isNaN(") || Eat("isInf(")) {
      const bool nan = s_.compare(i_ - 6, 6, "isNaN(") == 0;
      if (!Value()) return Fail("isNaN/isInf: expected the result");
      Expect(")");
      // isInf: a value no simulated signal takes; no data for isNaN.
      return Cond{Region{{}, nan}, EmptyResult::kError};
    }
    if (Eat("len(")) {
      if (!Value()) return Fail("len(): expected the result");
      Expect(")");
      const std::string op = Op();
      const std::optional<double> n = Number();
      if (op.empty() || !n) return Fail("len(result): expected a comparison with a number");
      // A simulated signal yields one value, or none when the canary served no request.
      const Region lengths = Compare(op, *n);
      const bool none_ok = Contains(lengths, 0);
      const bool one_ok = Contains(lengths, 1);
      Region r = one_ok ? Region::All() : Region::None();
      r.no_data = none_ok;
      return Cond{r, none_ok ? EmptyResult::kTrue : EmptyResult::kFalse};
    }
    if (Eat("all(") || Eat("any(")) {
      const bool all = s_.compare(i_ - 4, 4, "all(") == 0;
      if (!Value()) return Fail("all(result, ...): expected the result first");
      Expect(",");
      const bool brace = Eat("{");
      Expect("#");
      const std::string op = Op();
      const std::optional<double> x = Number();
      if (op.empty() || !x) return Fail("all(result, {# OP N}): expected a comparison with #");
      if (brace) Expect("}");
      Expect(")");
      // Over no element, all() is true and any() false.
      return Cond{Compare(op, *x), all ? EmptyResult::kTrue : EmptyResult::kFalse};
    }
    // value OP number, or number OP value.
    if (Value()) {
      const std::string op = Op();
      const std::optional<double> x = Number();
      if (op.empty() || !x) return Fail("expected a comparison of the result with a number");
      return Cond{Compare(op, *x), EmptyResult::kError};
    }
    if (const std::optional<double> x = Number()) {
      const std::string op = Op();
      if (op.empty() || !Value()) return Fail("expected a comparison of a number with the result");
      return Cond{Compare(Mirror(op), *x), EmptyResult::kError};
    }
    return Fail("expected a comparison of the result at '" + s_.substr(i_) + "'");
  }

  const std::string& s_;
  size_t i_ = 0;
  std::string error_;
};

}  // namespace

std::optional<Region> ParseArgoCondition(const std::string& expression, std::string* error) {
  Parser p(expression);
  const std::optional<Cond> c = p.Parse(error);
  if (!c) return std::nullopt;
  return c->region;
}

std::optional<EmptyResult> ArgoConditionOnEmpty(const std::string& expression, std::string* error) {
  Parser p(expression);
  const std::optional<Cond> c = p.Parse(error);
  if (!c) return std::nullopt;
  return c->empty;
}

}  // namespace fleetsim::import
