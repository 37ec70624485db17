"""A pymodbus slave with known registers for Kilowallet's interoperability tests.

usage: /usr/bin/python3 pymodbus_server.py tcp PORT | rtu DEVICE
Unit 1: holding registers 0..3 = 10, 20, 30, 40; input registers 0..1 = 0x4366, 0x3334 (230.2 V as float).
Prints READY once it is listening (TCP) or has opened the device (RTU).
"""
import asyncio
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusSerialServer, ModbusTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer


def context():
    slave = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, [10, 20, 30, 40] + [0] * 96),
        ir=ModbusSequentialDataBlock(0, [0x4366, 0x3334] + [0] * 98),
        co=ModbusSequentialDataBlock(0, [1, 0, 1] + [0] * 97),
        di=ModbusSequentialDataBlock(0, [0] * 100),
        zero_mode=True,
    )
    return ModbusServerContext(slaves={1: slave}, single=False)


async def main():
    mode, where = sys.argv[1], sys.argv[2]
    if mode == "tcp":
        server = ModbusTcpServer(context(), ModbusSocketFramer, None, ("127.0.0.1", int(where)))
        task = asyncio.create_task(server.serve_forever())
        await server.serving
    else:
        server = ModbusSerialServer(context(), ModbusRtuFramer, port=where, baudrate=9600)
        await server.start()
        task = asyncio.create_task(asyncio.Event().wait())
    print("READY", flush=True)
    await task


asyncio.run(main())
