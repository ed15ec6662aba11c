#include "analysis/result_part.h"

#include <fstream>
#include <sstream>

#include "analysis/atomic_file.h"
#include "analysis/byte_codec.h"
#include "analysis/replica_codec.h"

namespace fleetsim {
namespace {

constexpr std::string_view kMagic = "fleetsim results ";

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out += s[++i] == 'n' ? '\n' : s[i];
    } else {
      out += s[i];
    }
  }
  return out;
}

// Reads "key: value" lines from `pos` up to the empty line; returns the offset after it, or npos.
size_t ParseHeader(std::string_view bytes, size_t pos,
                   std::vector<std::pair<std::string, std::string>>& out) {
  while (pos < bytes.size()) {
    const size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos) return std::string_view::npos;
    const std::string_view line = bytes.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) return pos;
    const size_t colon = line.find(": ");
    if (colon == std::string_view::npos) return std::string_view::npos;
    out.emplace_back(std::string(line.substr(0, colon)), Unescape(line.substr(colon + 2)));
  }
  return std::string_view::npos;
}

}  // namespace

std::string RenderPart(const ResultPart& part) {
  std::ostringstream h;
  h << kMagic << kPartFormatVersion << "\n";
  h << "kind: " << (part.kind == PartKind::kShard ? "shard" : "checkpoint") << "\n";
  if (part.kind == PartKind::kShard) {
    h << "shard: " << part.shard_index << "/" << part.shard_count << "\n";
  }
  h << "codec: " << kReplicaCodecVersion << "\n";
  h << "build: " << Escape(part.identity.build) << "\n";
  for (const std::string& r : part.identity.runs) h << "run: " << Escape(r) << "\n";
  for (const auto& [key, value] : part.invocation) {
    h << "invocation: " << Escape(key + "=" + value) << "\n";
  }
  h << "identity: " << Hex64(part.identity.Digest()) << "\n";
  h << "records: " << part.records.size() << "\n\n";
  ByteWriter out;
  out.Raw(h.str());
  for (const ResultRecord& r : part.records) {
    out.Varint(static_cast<uint64_t>(r.item));
    out.Bytes(r.payload);
  }
  out.Fixed64(Fnv1a64(out.data()));
  return out.Take();
}

Result<ResultPart> ParsePart(std::string_view bytes, const std::string& file) {
  auto fail = [&](const std::string& why) {
    return Status::Error(file + ": not a fleetsim result part: " + why);
  };
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    return fail("expected it to begin with '" + std::string(kMagic) + "'");
  }
  const size_t first_line = bytes.find('\n');
  const std::string version(bytes.substr(kMagic.size(), first_line - kMagic.size()));
  if (first_line == std::string_view::npos || version != std::to_string(kPartFormatVersion)) {
    return Status::Error(file + ": result part format " + version + "; this fleetsim reads " +
                         std::to_string(kPartFormatVersion));
  }
  if (bytes.size() < 8) return fail("truncated");
  ByteReader tail(bytes.substr(bytes.size() - 8));
  if (tail.Fixed64() != Fnv1a64(bytes.substr(0, bytes.size() - 8))) {
    return fail("checksum mismatch (the file is truncated or damaged)");
  }
  std::vector<std::pair<std::string, std::string>> header;
  const size_t body = ParseHeader(bytes.substr(0, bytes.size() - 8), first_line + 1, header);
  if (body == std::string_view::npos) return fail("malformed header");
  ResultPart part;
  std::string digest, records = "?", kind, codec;
  for (const auto& [key, value] : header) {
    if (key == "kind") {
      kind = value;
    } else if (key == "shard") {
      const size_t slash = value.find('/');
      try {
        part.shard_index = std::stoi(value.substr(0, slash));
        part.shard_count = std::stoi(value.substr(slash + 1));
      } catch (const std::exception&) {
        return fail("bad shard '" + value + "'");
      }
    } else if (key == "codec") {
      codec = value;
    } else if (key == "build") {
      part.identity.build = value;
    } else if (key == "run") {
      part.identity.runs.push_back(value);
    } else if (key == "invocation") {
      const size_t eq = value.find('=');
      if (eq == std::string::npos) return fail("bad invocation line '" + value + "'");
      part.invocation.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else if (key == "identity") {
      digest = value;
    } else if (key == "records") {
      records = value;
    } else {
      return fail("unknown header line '" + key + "'");
    }
  }
  if (kind != "shard" && kind != "checkpoint") return fail("unknown kind '" + kind + "'");
  part.kind = kind == "shard" ? PartKind::kShard : PartKind::kCheckpoint;
  if (codec != std::to_string(kReplicaCodecVersion)) {
    return Status::Error(file + ": replica results in codec version " + codec +
                         "; this fleetsim reads " + std::to_string(kReplicaCodecVersion));
  }
  if (digest != Hex64(part.identity.Digest())) return fail("identity digest mismatch");
  if (part.shard_count < 1 || part.shard_index < 0 || part.shard_index >= part.shard_count) {
    return fail("bad shard " + std::to_string(part.shard_index) + "/" +
                std::to_string(part.shard_count));
  }
  ByteReader in(bytes.substr(body, bytes.size() - 8 - body));
  while (in.ok() && !in.AtEnd()) {
    ResultRecord r;
    r.item = static_cast<int64_t>(in.Bounded(uint64_t{1} << 62));
    r.payload = std::string(in.Bytes());
    if (!in.ok()) break;
    if (!part.records.empty() && r.item <= part.records.back().item) {
      return fail("records out of order at item " + std::to_string(r.item));
    }
    part.records.push_back(std::move(r));
  }
  if (!in.ok()) return fail("damaged record list");
  if (records != std::to_string(part.records.size())) {
    return fail("header says " + records + " records, the file holds " +
                std::to_string(part.records.size()));
  }
  return part;
}

Result<ResultPart> ReadPartFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot read");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return ParsePart(bytes.str(), path);
}

Status WritePartFile(const std::string& path, const ResultPart& part) {
  return WriteFileAtomically(
      path, RenderPart(part),
      part.kind == PartKind::kShard ? Durability::kDurable : Durability::kNoSync);
}

}  // namespace fleetsim
