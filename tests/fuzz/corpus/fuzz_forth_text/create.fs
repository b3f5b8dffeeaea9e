create b 10 allot b 10 erase b 3 + c@ .
: c does> @ ; 
