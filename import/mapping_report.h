// MappingReport: what an import did with every source field of a vendor spec.
//
// Each row names a source field (its dotted path and file:line:col) and what became of it:
//   mapped        source field -> fleetsim key = value (the vendor's semantics, exactly)
//   default       no source field: the vendor's documented default -> fleetsim key = value
//   approximated  mapped, but the simulation differs from the vendor in the way the note says
//   no effect     the field changes nothing a fleet simulation can see (image, selector, ...)
//   not simulated the field does something fleetsim cannot simulate (webhooks, Job providers)
// `fleetsim import` prints Table(); the same rows are the source comments of the written
// policy and the rows of docs/import.md's tables.
//
// Value type, built by one import on one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fleetsim::import {

enum class Disposition : uint8_t { kMapped, kDefault, kApproximated, kNoEffect, kNotSimulated };

const char* DispositionName(Disposition d);

struct MappingRow {
  Disposition disposition = Disposition::kMapped;
  std::string source;  // "spec.strategy.canary.steps[0].setWeight", or "(Argo default)"
  std::string where;   // "file:line:col"; empty for defaults
  std::string key;     // "rollout.stages[0].percent"; empty for no effect / not simulated
  std::string value;   // as written in the policy
  std::string note;    // why, for every row but plain mappings
};

class MappingReport {
 public:
  void Add(MappingRow row) { rows_.push_back(std::move(row)); }
  const std::vector<MappingRow>& rows() const { return rows_; }
  size_t Count(Disposition d) const;

  // The terminal table: mapped, default and approximated rows as columns
  // "source field | where | fleetsim key | value", then the approximations, fields with no
  // effect and fields that cannot be simulated, one per line with their notes.
  std::string Table() const;

 private:
  std::vector<MappingRow> rows_;
};

}  // namespace fleetsim::import
