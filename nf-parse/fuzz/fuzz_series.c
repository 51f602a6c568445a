/* libFuzzer harness of the series CSV reader (csv_series.c); body in fuzz_csv.h. */
#define FUZZ_CSV_READER parse_series_csv
#define FUZZ_CSV_HEADERS "timestamp,value", "timestamp,a,b,c", "time,\"x,y\",value"
#include "fuzz_csv.h"
