-- wrk script of the viral-petition benchmark's readers: each connection waits between two
-- loads of the page, so that all of them together ask for at most $READ_RATE pages a second
-- ($READERS connections). 0 means no wait: as fast as the node answers.
local rate = tonumber(os.getenv("READ_RATE") or "1000")
local conns = tonumber(os.getenv("READERS") or "4")

function delay()
  if rate <= 0 then
    return 0
  end
  return math.floor(conns * 1000 / rate)
end
