/* libFuzzer harness of the Argus CSV reader (csv_argus.c); body in fuzz_csv.h. */
#define FUZZ_CSV_READER parse_argus_csv
#define FUZZ_CSV_HEADERS                                                                      \
    "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,"   \
    "SrcBytes,SrcPkts,Label",                                                                 \
        "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,"        \
        "TotBytes,SrcBytes,Label"
#define FUZZ_CSV_HEADER_WORD "StartTime"
#include "fuzz_csv.h"
