/* test_fmt.c - numbers for people: grouping, units, percentages, signs. */
#include <math.h>

#include "../../lib/tests/tap.h"
#include "fmt.h"

int main(void)
{
    TAP_STR(nfx_num(1163036).s, "1,163,036", "whole numbers get thousands separators");
    TAP_STR(nfx_num(-1234567).s, "-1,234,567", "negative numbers are grouped after the sign");
    TAP_STR(nfx_num(1336.8229885057472).s, "1,336.8", "numbers from 10 keep one decimal");
    TAP_STR(nfx_num(3.14159).s, "3.14", "numbers below 10 keep two decimals");
    TAP_STR(nfx_num(0.03393).s, "0.0339", "small numbers keep three significant digits");
    TAP_STR(nfx_num(2.50).s, "2.5", "trailing zeros are dropped");
    TAP_STR(nfx_num(1.8446744073709552e19).s, "18,446,744,073,709,551,616", "2^64 is written out in full");
    TAP_STR(nfx_num(1e200).s, "1e+200", "beyond 21 digits a number is scientific, not cut");
    TAP_STR(nfx_bytes(1e200).s, "1e+185 PB", "also in a unit");
    TAP_STR(nfx_fixed(-0.0001, 2).s, "0.00", "a value that rounds to zero has no minus sign");
    TAP_STR(nfx_bytes(1163036).s, "1.16 MB", "bytes in MB with three significant digits (powers of 1000)");
    TAP_STR(nfx_bytes(870).s, "870 B", "bytes below 1000 stay in B");
    TAP_STR(nfx_bytes(56481).s, "56.5 KB", "bytes in KB");
    TAP_STR(nfx_bytes(2.5e12).s, "2.50 TB", "bytes in TB");
    TAP_STR(nfx_ms(27).s, "27 ms", "milliseconds below a second");
    TAP_STR(nfx_ms(63540).s, "63.5 s", "seconds below two minutes");
    TAP_STR(nfx_ms(378000).s, "6.3 min", "minutes below two hours");
    TAP_STR(nfx_ms(5400000 * 4).s, "6.0 h", "hours below two days");
    TAP_STR(nfx_share(0.1218).s, "12 %", "a share as a whole percentage from 10 percent");
    TAP_STR(nfx_share(0.0087).s, "0.87 %", "a share below 1 percent keeps two decimals");
    TAP_STR(nfx_pct(99.97).s, "99.97 %", "a share that is not all never shows as 100 percent");
    TAP_STR(nfx_pct(100).s, "100 %", "all is 100 percent");
    TAP_STR(nfx_pct(0.004).s, "0.004 %", "a share that is not none never shows as 0 percent");
    TAP_STR(nfx_value(NF_UNIT_PACKETS, 1).s, "1 packet", "one packet is singular");
    TAP_STR(nfx_value(NF_UNIT_PACKETS, 870).s, "870 packets", "packets are plural");
    TAP_STR(nfx_value(NF_UNIT_COEFF, -0.245).s, "-0.24", "coefficients with two decimals");
    TAP_STR(nfx_delta(NF_UNIT_SHARE, 0.2322).s, "+23 percentage points", "a change of a share is in percentage points");
    TAP_STR(nfx_delta(NF_UNIT_SHARE, -0.0024).s, "-0.24 percentage points", "small share changes keep decimals");
    TAP_STR(nfx_delta(NF_UNIT_BYTES, 2101952).s, "+2.10 MB", "a byte change carries its sign and unit");
    TAP_STR(nfx_rel(3.0146).s, "+301 %", "relative change in percent");
    TAP_STR(nfx_rel(NAN).s, "n/a", "relative change from zero is n/a");
    TAP_STR(nfx_signed(108.2627).s, "+108.26", "statistics are signed with two decimals");
    TAP_STR(nfx_time_min(1570002900000).s, "2019-10-02 07:55 UTC", "times to the minute in UTC");
    char s[] = "udp share";
    TAP_STR(nfx_capitalize(s), "Udp share", "capitalize upper-cases the first letter only");
    return tap_done();
}
