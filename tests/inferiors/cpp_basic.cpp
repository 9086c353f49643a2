// cpp_basic: a class with a method, std::string and std::vector locals, and an
// exception that is thrown and caught.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

class Greeter {
public:
  explicit Greeter(std::string name) : name_(std::move(name)), greetings_(0) {}

  int greet(const std::string &who) {
    greetings_++; // GREET-FIRST
    std::printf("%s greets %s\n", name_.c_str(), who.c_str());
    return greetings_;
  }

  std::string name_;
  int greetings_;
};

static int risky(int v) {
  if (v > 2)
    throw std::runtime_error("too big");
  return v * 10;
}

int main() {
  std::string message = "hello stubborn";
  std::vector<int> numbers = {1, 2, 3, 5, 8};
  Greeter greeter("cpp_basic");
  int count = greeter.greet(message);
  int caught = 0;
  try {
    risky(numbers.back());
  } catch (const std::runtime_error &e) {
    caught = 1;
    std::printf("caught: %s\n", e.what()); // CATCH-BODY
  }
  std::printf("count=%d caught=%d size=%zu\n", count, caught, numbers.size());
  return caught == 1 ? 0 : 1;
}
