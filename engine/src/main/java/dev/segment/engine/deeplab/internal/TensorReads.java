package dev.segment.engine.deeplab.internal;

import org.tensorflow.Tensor;
import org.tensorflow.proto.DataType;

/** Copies fetched tensors into Java arrays with size checks. */
final class TensorReads {

    private TensorReads() {}

    static void copyFloats(Tensor tensor, float[] dst, String name) {
        if (tensor.dataType() != DataType.DT_FLOAT || tensor.numBytes() != 4L * dst.length) {
            throw new IllegalStateException("fetched " + name + " is " + tensor.dataType() + " " + tensor.shape()
                    + ", expected " + dst.length + " floats");
        }
        tensor.asRawTensor().data().asFloats().read(dst);
    }
}
