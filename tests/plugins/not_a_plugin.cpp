// A shared library with no plugin descriptor.
extern "C" int not_a_flowdistill_plugin() { return 42; }
