/**
 * What the reference's grok library (github.com/Jeffail/grok, the one its `grok` processor uses)
 * answers for each expression and input, run outside this project: `result` is the message the
 * processor makes, `nomatch` a flagged message, `error` a configuration the processor refuses.
 */
export interface GrokCase {
  exprs: string[]
  defs: Record<string, string>
  named_only: boolean
  remove_empty: boolean
  input: string
  want: { result?: unknown; nomatch?: true; error?: string }
}

export const grokCases: GrokCase[] = [
  {"exprs":["%{COMBINEDAPACHELOG}"],"defs":{},"named_only":true,"remove_empty":true,"input":"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"","want":{"result":{"agent":"\"Mozilla/4.08 [en] (Win98; I ;Nav)\"","auth":"frank","bytes":"2326","clientip":"127.0.0.1","httpversion":"1.0","ident":"-","referrer":"\"http://www.example.com/start.html\"","request":"/apache_pb.gif","response":"200","timestamp":"10/Oct/2000:13:55:36 -0700","verb":"GET"}}},
  {"exprs":["%{COMMONAPACHELOG}"],"defs":{},"named_only":true,"remove_empty":true,"input":"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"","want":{"result":{"auth":"frank","bytes":"2326","clientip":"127.0.0.1","httpversion":"1.0","ident":"-","request":"/apache_pb.gif","response":"200","timestamp":"10/Oct/2000:13:55:36 -0700","verb":"GET"}}},
  {"exprs":["%{COMBINEDAPACHELOG}"],"defs":{},"named_only":false,"remove_empty":true,"input":"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"","want":{"result":{"BASE10NUM":"2326","COMBINEDAPACHELOG":"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"","COMMONAPACHELOG":"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326","HOUR":"13","INT":"-0700","IP":"127.0.0.1","IPV4":"127.0.0.1","MINUTE":"55","MONTH":"Oct","MONTHDAY":"10","QUOTEDSTRING":"\"Mozilla/4.08 [en] (Win98; I ;Nav)\"","SECOND":"36","TIME":"13:55:36","USER":"-","USERNAME":"frank","YEAR":"2000","agent":"\"Mozilla/4.08 [en] (Win98; I ;Nav)\"","auth":"frank","bytes":"2326","clientip":"127.0.0.1","httpversion":"1.0","ident":"-","referrer":"\"http://www.example.com/start.html\"","request":"/apache_pb.gif","response":"200","timestamp":"10/Oct/2000:13:55:36 -0700","verb":"GET"}}},
  {"exprs":["%{COMMONAPACHELOG}"],"defs":{},"named_only":true,"remove_empty":true,"input":"::1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 404 -","want":{"result":{"auth":"-","clientip":"::1","httpversion":"1.1","ident":"-","request":"/","response":"404","timestamp":"10/Oct/2000:13:55:36 -0700","verb":"GET"}}},
  {"exprs":["%{COMMONAPACHELOG}"],"defs":{},"named_only":true,"remove_empty":false,"input":"::1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 404 -","want":{"result":{"auth":"-","bytes":"","clientip":"::1","httpversion":"1.1","ident":"-","rawrequest":"","request":"/","response":"404","timestamp":"10/Oct/2000:13:55:36 -0700","verb":"GET"}}},
  {"exprs":["%{SYSLOGLINE}"],"defs":{},"named_only":true,"remove_empty":true,"input":"Mar  3 12:00:01 myhost sshd[1234]: Accepted publickey for ada from 10.0.0.1 port 22 ssh2","want":{"error":"failed to compile Grok pattern '%{SYSLOGLINE}': no pattern found for %{SYSLOGLINE}"}},
  {"exprs":["%{SYSLOGBASE} %{GREEDYDATA:msg}"],"defs":{},"named_only":true,"remove_empty":true,"input":"Mar  3 12:00:01 myhost sshd[1234]: Accepted publickey for ada from 10.0.0.1 port 22 ssh2","want":{"result":{"logsource":"myhost","msg":"Accepted publickey for ada from 10.0.0.1 port 22 ssh2","pid":"1234","program":"sshd","timestamp":"Mar  3 12:00:01"}}},
  {"exprs":["%{IP:client} %{WORD:method} %{URIPATHPARAM:request} %{NUMBER:bytes:int} %{NUMBER:duration:float}"],"defs":{},"named_only":true,"remove_empty":true,"input":"55.3.244.1 GET /index.html?x=1 15824 0.043","want":{"result":{"bytes":15824,"client":"55.3.244.1","duration":0.043,"method":"GET","request":"/index.html?x=1"}}},
  {"exprs":["%{IP:client} %{NUMBER:bytes:int}","%{IP:client} %{WORD:w}"],"defs":{},"named_only":true,"remove_empty":true,"input":"55.3.244.1 abc","want":{"result":{"client":"55.3.244.1","w":"abc"}}},
  {"exprs":["%{IP:client} %{NUMBER:bytes:int}","%{IP:client} %{WORD:w}"],"defs":{},"named_only":true,"remove_empty":true,"input":"55.3.244.1 12.5","want":{"result":{"client":"55.3.244.1","w":"12"}}},
  {"exprs":["%{WORD:a.b} %{WORD:a.c} %{INT:x-y:int}"],"defs":{},"named_only":true,"remove_empty":true,"input":"foo bar 7","want":{"result":{"a":{"b":"foo","c":"bar"},"x-y":7}}},
  {"exprs":["%{WORD:a} %{WORD:a.b}"],"defs":{},"named_only":true,"remove_empty":true,"input":"foo bar","want":{"result":{"a":"foo"}}},
  {"exprs":["%{WORD:w} %{INT:n:int}"],"defs":{},"named_only":true,"remove_empty":true,"input":"nothing here","want":{"nomatch":true}},
  {"exprs":["%{UUID:id} %{MAC:mac} %{IPV6:v6} %{HOSTNAME:host}"],"defs":{},"named_only":true,"remove_empty":true,"input":"123e4567-e89b-12d3-a456-426614174000 00:1a:2b:3c:4d:5e fe80::1 example.com","want":{"result":{"host":"example.com","id":"123e4567-e89b-12d3-a456-426614174000","mac":"00:1a:2b:3c:4d:5e","v6":"fe80::1"}}},
  {"exprs":["%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} %{GREEDYDATA:msg}"],"defs":{},"named_only":true,"remove_empty":true,"input":"2024-01-02T03:04:05.678Z WARN disk almost full","want":{"result":{"level":"WARN","msg":"disk almost full","ts":"2024-01-02T03:04:05.678Z"}}},
  {"exprs":["%{QS:q} %{QUOTEDSTRING:q2}"],"defs":{},"named_only":true,"remove_empty":true,"input":"\"hello \\\"world\\\"\" 'single'","want":{"result":{"q":"\"hello \\\"world\\\"\"","q2":"'single'"}}},
  {"exprs":["%{MYPAT}"],"defs":{"MYPAT":"%{WORD:word}-%{MYNUM:num:int}","MYNUM":"\\d+"},"named_only":true,"remove_empty":true,"input":"abc-123","want":{"result":{"num":123,"word":"abc"}}},
  {"exprs":["%{NOPE}"],"defs":{},"named_only":true,"remove_empty":true,"input":"x","want":{"error":"failed to compile Grok pattern '%{NOPE}': no pattern found for %{NOPE}"}},
  {"exprs":["%{WORD:w}"],"defs":{"BAD":"%{MISSING}"},"named_only":true,"remove_empty":true,"input":"x","want":{"error":"failed to create grok compiler: no pattern found for %{MISSING}"}},
  {"exprs":["%{INT:n:int}"],"defs":{},"named_only":true,"remove_empty":true,"input":"99999999999999999999","want":{"nomatch":true}},
  {"exprs":["%{NUMBER:n:float}"],"defs":{},"named_only":true,"remove_empty":true,"input":"-1.5e3 rest","want":{"result":{"n":-1.5}}},
  {"exprs":["%{INT:n:bool}"],"defs":{},"named_only":true,"remove_empty":true,"input":"5","want":{"nomatch":true}},
  {"exprs":["(?P<raw>\\w+) %{INT:n}"],"defs":{},"named_only":true,"remove_empty":true,"input":"abc 5","want":{"result":{"n":"5","raw":"abc"}}},
  {"exprs":["%{WORD} %{WORD:second}"],"defs":{},"named_only":true,"remove_empty":true,"input":"one two","want":{"result":{"second":"two"}}},
  {"exprs":["%{WORD} %{WORD:second}"],"defs":{},"named_only":false,"remove_empty":true,"input":"one two","want":{"result":{"WORD":"one","second":"two"}}},
  {"exprs":["%{DATA:k}=%{DATA:v};"],"defs":{},"named_only":true,"remove_empty":true,"input":"a=b;c=d;","want":{"result":{"k":"a","v":"b"}}},
  {"exprs":["%{HTTPDATE:d}"],"defs":{},"named_only":true,"remove_empty":true,"input":"10/Oct/2000:13:55:36 -0700","want":{"result":{"d":"10/Oct/2000:13:55:36 -0700"}}},
  {"exprs":["%{NUMBER:n:int}"],"defs":{},"named_only":true,"remove_empty":true,"input":"1.5","want":{"nomatch":true}},
  {"exprs":["%{EMAILADDRESS:e}"],"defs":{},"named_only":true,"remove_empty":true,"input":"user.name+tag@example.co.uk","want":{"result":{"e":"user.name+tag@example.co.uk"}}},
  {"exprs":["%{URI:u}"],"defs":{},"named_only":true,"remove_empty":true,"input":"https://user:pw@example.com:8080/a/b?x=1&y=2#frag","want":{"result":{"port":"8080","u":"https://user:pw@example.com:8080/a/b?x=1&y=2#frag"}}},
  {"exprs":["%{SPACE}%{WORD:w}%{SPACE}"],"defs":{},"named_only":true,"remove_empty":true,"input":"   padded   ","want":{"result":{"w":"padded"}}},
  {"exprs":["%{POSINT:p:int} %{NONNEGINT:nn:int}"],"defs":{},"named_only":true,"remove_empty":true,"input":"42 0","want":{"result":{"nn":0,"p":42}}},
  {"exprs":["%{DATESTAMP:ds}"],"defs":{},"named_only":true,"remove_empty":true,"input":"2024-01-02 03:04:05","want":{"result":{"ds":"24-01-02 03:04:05"}}},
  {"exprs":["%{COMBINEDAPACHELOG}"],"defs":{},"named_only":true,"remove_empty":true,"input":"not a log line","want":{"nomatch":true}},
]
