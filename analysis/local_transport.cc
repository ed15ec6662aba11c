#include "analysis/local_transport.h"

#include <deque>
#include <mutex>

namespace fleetsim {
namespace {

struct Mailboxes {
  std::mutex mutex;
  std::vector<std::deque<Message>> inbox;
};

class LocalTransport : public Transport {
 public:
  LocalTransport(std::shared_ptr<Mailboxes> boxes, int rank)
      : boxes_(std::move(boxes)), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return static_cast<int>(boxes_->inbox.size()); }
  void Send(int dest, int tag, std::string_view bytes) override {
    std::lock_guard<std::mutex> lock(boxes_->mutex);
    boxes_->inbox.at(dest).push_back(Message{rank_, tag, std::string(bytes)});
  }
  std::optional<Message> Poll() override {
    std::lock_guard<std::mutex> lock(boxes_->mutex);
    std::deque<Message>& box = boxes_->inbox[rank_];
    if (box.empty()) return std::nullopt;
    Message m = std::move(box.front());
    box.pop_front();
    return m;
  }

 private:
  std::shared_ptr<Mailboxes> boxes_;
  int rank_;
};

}  // namespace

std::vector<std::unique_ptr<Transport>> LocalTransports(int ranks) {
  auto boxes = std::make_shared<Mailboxes>();
  boxes->inbox.resize(ranks);
  std::vector<std::unique_ptr<Transport>> out;
  for (int r = 0; r < ranks; ++r) out.push_back(std::make_unique<LocalTransport>(boxes, r));
  return out;
}

}  // namespace fleetsim
