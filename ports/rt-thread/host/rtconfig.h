// The menuconfig choices of the host stand-in (rtthread.h): the defaults of
// ports/rt-thread/Kconfig, with a stack large enough for a host thread.
#pragma once

#define RT_USING_DFS
#define RT_USING_FINSH
#define PKG_USING_TINYONNX
#define PKG_TINYONNX_USING_INT8
#define PKG_TINYONNX_ARENA_SIZE 65536
#define PKG_TINYONNX_ARENA_FROM_HEAP
#define PKG_TINYONNX_THREAD_STACK_SIZE 262144
#define PKG_TINYONNX_THREAD_PRIORITY 20
#define PKG_TINYONNX_MNIST_MODEL "models/mnist-small.onnx"
#define PKG_TINYONNX_USING_EXAMPLES
