/* libFuzzer harness of the nfdump CSV reader (csv_nfdump.c); body in fuzz_csv.h. */
#define FUZZ_CSV_READER parse_nfdump_csv
#define FUZZ_CSV_HEADERS                                                                      \
    "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,"   \
    "dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,"     \
    "mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr",                                             \
        "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt"
#define FUZZ_CSV_HEADER_WORD "ts"
#include "fuzz_csv.h"
