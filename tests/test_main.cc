// Catch2 entry point for the fleetsim test suite.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
