// Linked with one layer's library whole (every object, used or not) and only the layers it declares
// below it (tests/CMakeLists.txt): a call into a layer above, or one it does not link, is an undefined
// reference and the build fails.
int main() { return 0; }
