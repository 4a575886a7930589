/* What the Cortex-M port offers a firmware beyond semihosting.h. */
#ifndef TINYONNX_PORTS_CORTEX_M_CORTEX_M_H_
#define TINYONNX_PORTS_CORTEX_M_CORTEX_M_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The stack region's size and the deepest use so far (the reset handler
 * paints the stack; the first word no longer painted marks the peak). */
uint32_t tinyonnx_stack_size(void);
uint32_t tinyonnx_stack_used(void);

#ifdef __cplusplus
}
#endif

#endif /* TINYONNX_PORTS_CORTEX_M_CORTEX_M_H_ */
