import struct, sys
keys=int(sys.argv[1]); out=sys.argv[2]
# The field list is the same in every template: built once (the shared
# script built it per template, the same bytes 20x slower).
FIELDS = {}
def tmpl_dgram(obs, base, n, fields=1024):
    if fields not in FIELDS:
        FIELDS[fields] = b"".join(struct.pack(">HH", 1 + (j % 200), 1) for j in range(fields))
    recs=b""
    for i in range(n):
        recs+=struct.pack(">HH", base+i, fields) + FIELDS[fields]
    s=struct.pack(">HH",2,4+len(recs))+recs
    return struct.pack(">HHIII",10,16+len(s),0,0,obs)+s
def frame(p):
    udp=struct.pack(">HHHH",50000,2055,len(p)+8,0)+p
    ip=struct.pack(">BBHHHBBH4s4s",0x45,0,20+len(udp),1,0,64,17,0,bytes([192,0,2,1]),bytes([192,0,2,2]))
    return b"\0"*12+b"\x08\x00"+ip+udp
with open(out,"wb") as f:
    f.write(struct.pack("<IHHiIII",0xa1b2c3d4,2,4,0,0,262144,1))
    n=0
    for k in range(keys):
        base=256
        while base < 256+4096:
            c=min(15, 256+4096-base)
            fr=frame(tmpl_dgram(k+1, base, c))
            f.write(struct.pack("<IIII",1,0,len(fr),len(fr))+fr); base+=c; n+=1
print(n,"datagrams")
