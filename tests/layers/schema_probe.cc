// A translation unit built with one layer's flags by the layers.*_schema tests (tests/CMakeLists.txt):
// a header of the layer, then a generated header of the wire schema. Core and analysis must fail to
// build it (the schema's generated headers are not on their include path); io must build it.
#include PEACESIM_LAYER_HEADER
#include "peacesim/v1/scenario.pb.h"

int peacesim_layer_probe() { return 0; }
