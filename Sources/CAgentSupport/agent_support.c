#include "agent_support.h"
