#pragma once
// Fixture: gamma may include beta and, through it, alpha.
#include "alpha/alpha.h"
#include "beta/beta.h"
