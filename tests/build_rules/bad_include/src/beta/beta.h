#pragma once
// Fixture.
#include "alpha/alpha.h"
