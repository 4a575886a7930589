#include "examples.h"
#include "test_digits.h"

namespace examples {

void TestDigitImage(int n, float image[mnist_small::kPixels]) {
  for (int i = 0; i < mnist_small::kPixels; ++i) image[i] = test_digits[n][i] / 255.0f;
}

}  // namespace examples
